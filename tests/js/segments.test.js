import assert from "node:assert/strict";
import { test } from "node:test";

import { paragraphAt, paragraphRanges, segments } from "../../annotator/static/annotator/segments.js";

const span = (id, s16, e16, kind = "entity") => ({ id, s16, e16, kind });

test("nested spans stack outermost first", () => {
  const claim = span(1, 0, 20, "claim");
  const quote = span(2, 5, 15, "quote");
  const person = span(3, 5, 10);
  const pieces = segments(0, 20, [person, claim, quote]);
  assert.deepEqual(pieces.map((p) => [p.from, p.to, p.stack.map((a) => a.id)]), [
    [0, 5, [1]],
    [5, 10, [1, 2, 3]],
    [10, 15, [1, 2]],
    [15, 20, [1]],
  ]);
});

test("crossing spans become fragments and cover the paragraph", () => {
  const pieces = segments(0, 10, [span(1, 0, 6), span(2, 4, 10)]);
  assert.deepEqual(pieces.map((p) => [p.from, p.to, p.stack.map((a) => a.id)]), [
    [0, 4, [1]],
    [4, 6, [1, 2]],
    [6, 10, [2]],
  ]);
});

test("a span across paragraphs is cut at the paragraph's edges", () => {
  const pieces = segments(10, 20, [span(1, 5, 15)]);
  assert.deepEqual(pieces.map((p) => [p.from, p.to, p.stack.length]), [[10, 15, 1], [15, 20, 0]]);
});

test("paragraphs are found by offset", () => {
  const ranges = paragraphRanges("ab\n\ncd\nef");
  assert.deepEqual(ranges, [{ start: 0, end: 2 }, { start: 3, end: 3 }, { start: 4, end: 6 }, { start: 7, end: 9 }]);
  const starts = ranges.map((r) => r.start);
  assert.equal(paragraphAt(starts, 5), 2);
  assert.equal(paragraphAt(starts, 0), 0);
  assert.equal(paragraphAt(starts, 8), 3);
});
