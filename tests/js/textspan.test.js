import assert from "node:assert/strict";
import { test } from "node:test";

import { OffsetIndex } from "../../annotator/static/annotator/offsets.js";
import { graphemeBoundary, spanFromUnits } from "../../annotator/static/annotator/textspan.js";

const TEXT = "Café 👩‍👩‍👧 opened 🇲🇽 and said: “Ça va”.\n\nSecond 🎉 line.";
const index = new OffsetIndex(TEXT);

test("a range inside an emoji's surrogate pair takes the whole emoji", () => {
  const party = TEXT.indexOf("🎉");
  const span = spanFromUnits(TEXT, index, party + 1, party + 2);
  assert.equal(span.quote, "🎉");
  assert.equal([...TEXT].slice(span.start, span.end).join(""), "🎉");
});

test("a range inside a flag or a ZWJ family takes the whole grapheme", () => {
  const flag = TEXT.indexOf("🇲🇽");
  assert.equal(spanFromUnits(TEXT, index, flag + 2, flag + 3).quote, "🇲🇽");
  const family = TEXT.indexOf("👩‍👩‍👧");
  assert.equal(spanFromUnits(TEXT, index, family + 3, family + 4).quote, "👩‍👩‍👧");
});

test("code point offsets count an emoji once", () => {
  const s = TEXT.indexOf("Second");
  const span = spanFromUnits(TEXT, index, s, s + 6);
  assert.equal([...TEXT].slice(span.start, span.end).join(""), "Second");
});

test("line breaks taken along by a triple click are dropped", () => {
  const s = TEXT.indexOf("Second");
  assert.equal(spanFromUnits(TEXT, index, s - 2, s + 6).quote, "Second");
});

test("snap to words widens to whole words and trims spaces", () => {
  const s = TEXT.indexOf("pened");
  assert.equal(spanFromUnits(TEXT, index, s - 1, s + 3, { snapWords: true }).quote, "opened");
  assert.equal(spanFromUnits(TEXT, index, s + 2, s + 2), null);
});

test("a boundary between graphemes stays put", () => {
  const s = TEXT.indexOf("opened");
  assert.equal(graphemeBoundary(TEXT, s, -1), s);
  assert.equal(graphemeBoundary(TEXT, 0, 1), 0);
  assert.equal(graphemeBoundary(TEXT, TEXT.length, -1), TEXT.length);
});

test("a combining accent stays with its letter", () => {
  const text = "Cafe\u0301 ok";
  const span = spanFromUnits(text, new OffsetIndex(text), 0, 4);
  assert.equal(span.quote, "Cafe\u0301");
});
