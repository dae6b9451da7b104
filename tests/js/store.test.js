import assert from "node:assert/strict";
import { test } from "node:test";

import { OffsetIndex } from "../../annotator/static/annotator/offsets.js";
import { AnnotationStore, History, outerFirst, updateInverse } from "../../annotator/static/annotator/store.js";

const TEXT = "🎉 Claudia Sheinbaum habló.";
const tag = (id, start, end, extra = {}) => ({ id, start, end, kind: "entity", label: "person", status: "pending", version: 1, attributes: {}, ...extra });

test("apply converts code points to UTF-16 units past an emoji", () => {
  const store = new AnnotationStore(new OffsetIndex(TEXT));
  store.apply([tag(1, 2, 9)]);
  const a = store.get(1);
  assert.equal(TEXT.slice(a.s16, a.e16), "Claudia");
});

test("apply answers what each change replaced, removals included", () => {
  const store = new AnnotationStore(new OffsetIndex(TEXT));
  const first = tag(1, 2, 9);
  store.apply([first]);
  const second = tag(1, 2, 19, { version: 2 });
  const placed = store.apply([second], []);
  assert.deepEqual(placed, [[first, second]]);
  assert.deepEqual(store.remove(1), [[second, null]]);
  assert.equal(store.size, 0);
  assert.deepEqual(store.remove(99), []);
});

test("sorted is text order with the outer span first", () => {
  const store = new AnnotationStore(new OffsetIndex(TEXT));
  store.apply([tag(3, 10, 19), tag(1, 2, 9), tag(2, 2, 19, { kind: "quote" })]);
  assert.deepEqual(store.sorted().map((a) => a.id), [2, 1, 3]);
  store.remove(2);
  assert.deepEqual(store.sorted().map((a) => a.id), [1, 3]);
});

test("neighbour walks in text order, wraps, and skips what the filter hides", () => {
  const store = new AnnotationStore(new OffsetIndex(TEXT));
  store.apply([tag(1, 2, 9), tag(2, 10, 19, { kind: "claim" }), tag(3, 20, 25)]);
  assert.equal(store.neighbour(null, 1).id, 1);
  assert.equal(store.neighbour(null, -1).id, 3);
  assert.equal(store.neighbour(1, 1).id, 2);
  assert.equal(store.neighbour(3, 1).id, 1);
  const noClaims = (a) => a.kind !== "claim";
  assert.equal(store.neighbour(1, 1, noClaims).id, 3);
  assert.equal(store.neighbour(3, -1, noClaims).id, 1);
  assert.equal(store.neighbour(1, 1, () => false), null);
});

test("outerFirst puts the longer of two spans starting together first", () => {
  const a = { id: 1, s16: 0, e16: 10, kind: "entity" };
  const b = { id: 2, s16: 0, e16: 4, kind: "entity" };
  assert.ok(outerFirst(a, b) < 0);
});

test("undo then redo replays the inverse steps in order, at any depth", () => {
  const history = new History();
  history.record({ id: "A", undo: { type: "delete" }, redo: { type: "restore" }, version: 1, what: "tag A" });
  history.record({ id: "B", undo: { type: "delete" }, redo: { type: "restore" }, version: 1, what: "tag B" });
  assert.equal(history.peekUndo().id, "B");
  history.undone(null);
  assert.equal(history.peekUndo().id, "A");
  assert.equal(history.peekRedo().id, "B");
  history.undone(null);
  assert.equal(history.canUndo, false);
  assert.equal(history.peekRedo().id, "A");
  history.redone(3);
  assert.equal(history.peekUndo().id, "A");
  assert.equal(history.known.get("A"), 3);
  assert.equal(history.peekRedo().id, "B");
});

test("a new step clears what could be redone", () => {
  const history = new History();
  history.record({ id: "A", undo: { type: "delete" }, redo: { type: "restore" }, version: 1, what: "tag A" });
  history.undone(null);
  history.record({ id: "C", undo: { type: "delete" }, redo: { type: "restore" }, version: 1, what: "tag C" });
  assert.equal(history.canRedo, false);
  assert.equal(history.peekUndo().id, "C");
});

test("a step is stale once someone else changed its tag", () => {
  const history = new History();
  history.record({ id: 1, undo: { type: "update", changes: {} }, redo: { type: "update", changes: {} }, version: 2, what: "relabel" });
  const step = history.peekUndo();
  assert.equal(history.stale(step.undo, step, { version: 2 }), false);
  assert.equal(history.stale(step.undo, step, { version: 3 }), true);
  assert.equal(history.stale({ type: "delete" }, step, undefined), true);
  assert.equal(history.stale({ type: "restore" }, step, undefined), false);
  assert.equal(history.stale({ type: "restore" }, step, { version: 4 }), true);
});

test("undoing one step keeps the steps below it on the same tag current", () => {
  const history = new History();
  history.record({ id: 1, undo: { type: "update", changes: { label: "person" } }, redo: { type: "update", changes: { label: "organization" } }, version: 2, what: "relabel" });
  history.record({ id: 1, undo: { type: "restore" }, redo: { type: "delete" }, version: null, what: "delete" });
  const top = history.peekUndo();
  assert.equal(history.stale(top.undo, top, undefined), false);
  history.undone(4); // restored at version 4
  const below = history.peekUndo();
  assert.equal(history.stale(below.undo, below, { version: 4 }), false);
  assert.equal(history.stale(below.undo, below, { version: 5 }), true);
});

test("the inverse of an update restores the fields it changed, and the attributes with a label", () => {
  const before = { label: "quote", start: 1, end: 5, attributes: { speaker: 3, attribution: "direct" } };
  assert.deepEqual(updateInverse(before, { label: "claim" }), { label: "quote", attributes: { speaker: 3, attribution: "direct" } });
  assert.deepEqual(updateInverse(before, { start: 2, end: 6, quote: "x" }), { start: 1, end: 5 });
  const inverse = updateInverse(before, { attributes: { speaker: 4 } });
  before.attributes.speaker = 9;
  assert.deepEqual(inverse, { attributes: { speaker: 3, attribution: "direct" } });
});
