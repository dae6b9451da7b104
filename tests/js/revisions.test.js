import assert from "node:assert/strict";
import { test } from "node:test";

import { OffsetIndex } from "../../annotator/static/annotator/offsets.js";
import { dismissKey, noticeText, RevisionSteps } from "../../annotator/static/annotator/revisions.js";
import { AnnotationStore } from "../../annotator/static/annotator/store.js";

const TEXT = "🎉 Claudia Sheinbaum habló en la capital y en Sinaloa.";
const tag = (id, start, end, extra = {}) => ({ id, start, end, kind: "entity", label: "person", status: "pending", version: 2, anchor_state: "moved", attributes: {}, ...extra });
const NOTICE = {
  number: 2,
  by: "edith",
  date: "2025-03-04",
  summary: { kept: 1, moved: 1, changed: 1, orphaned: 2 },
  tags: [
    [3, "changed", '"Sheinbuam" → "Sheinbaum"'],
    [5, "moved", ""],
    [7, "orphaned", 'its words were rewritten: "Ciudad de México" → "capital"'],
    [8, "orphaned", ""],
  ],
};

function storeOf(...tags) {
  const store = new AnnotationStore(new OffsetIndex(TEXT));
  store.apply(tags);
  return store;
}

test("the notice says the revision, who made it, when, and every count in the summary's order", () => {
  assert.equal(noticeText(NOTICE), "This text was revised (revision 2, by edith, 2025-03-04): 1 kept, 1 moved, 1 changed, 2 orphaned.");
  assert.equal(noticeText({ ...NOTICE, by: null, summary: { changed: 1 } }), "This text was revised (revision 2, 2025-03-04): 0 kept, 0 moved, 1 changed, 0 orphaned.");
});

test("dismissal is remembered per article and revision", () => {
  assert.notEqual(dismissKey(1, 2), dismissKey(1, 3));
  assert.notEqual(dismissKey(1, 2), dismissKey(2, 2));
});

test("the changed stepper walks changed and moved tags in text order, wrapping, and skips kept ones", () => {
  const steps = new RevisionSteps(NOTICE.tags);
  // 5 (moved) comes before 3 (changed) in the text; 4 shifted but kept is not in the notice.
  const store = storeOf(tag(3, 31, 38), tag(4, 2, 9), tag(5, 10, 19), tag(7, 2, 9, { anchor_state: "orphaned" }));
  const first = steps.next(store, null, "changed");
  assert.deepEqual([first.a.id, first.at, first.of], [5, 1, 2]);
  assert.equal(first.text, "Changed tag 1 of 2: its words were moved here");
  const second = steps.next(store, 5, "changed");
  assert.deepEqual([second.a.id, second.at], [3, 2]);
  assert.equal(second.text, 'Changed tag 2 of 2: "Sheinbuam" → "Sheinbaum"');
  assert.equal(steps.next(store, 3, "changed").a.id, 5);
  assert.equal(steps.next(store, 5, "changed", { direction: -1 }).a.id, 3);
});

test("from a tag the notice does not list, the stepper goes to the next one after it", () => {
  const steps = new RevisionSteps(NOTICE.tags);
  const store = storeOf(tag(3, 31, 38), tag(4, 20, 25, { anchor_state: "anchored" }), tag(5, 10, 19));
  assert.equal(steps.next(store, 4, "changed").a.id, 3);
});

test("the orphaned stepper goes only to tags still orphaned", () => {
  const steps = new RevisionSteps(NOTICE.tags);
  const store = storeOf(tag(3, 31, 38), tag(7, 2, 9, { anchor_state: "orphaned" }), tag(8, 10, 19, { anchor_state: "anchored" }));
  const found = steps.next(store, null, "orphaned");
  assert.deepEqual([found.a.id, found.at, found.of], [7, 1, 1]);
  assert.equal(found.text, 'Orphaned tag 1 of 1: its words were rewritten: "Ciudad de México" → "capital"');
  // Repaired too: nothing left, though the revision orphaned two.
  store.apply([tag(7, 2, 9, { anchor_state: "anchored", version: 3 })]);
  assert.equal(steps.next(store, null, "orphaned"), null);
});

test("a changed tag orphaned since leaves the changed stepper, and deleted tags are in none", () => {
  const steps = new RevisionSteps(NOTICE.tags);
  const store = storeOf(tag(3, 31, 38, { anchor_state: "orphaned" }));
  assert.equal(steps.next(store, null, "changed"), null);
  assert.equal(steps.next(store, null, "orphaned"), null); // the panel lists it; this revision did not orphan it
  assert.equal(steps.next(storeOf(), null, "changed"), null);
});

test("the stepper skips what the view's filters hide and counts only what it shows", () => {
  const steps = new RevisionSteps(NOTICE.tags);
  const store = storeOf(tag(3, 31, 38), tag(5, 10, 19, { kind: "claim", label: "claim" }));
  const found = steps.next(store, null, "changed", { visible: (a) => a.kind === "entity" });
  assert.deepEqual([found.a.id, found.at, found.of], [3, 1, 1]);
});

test("a stepper is offered only where the revision has tags for it", () => {
  const steps = new RevisionSteps([[3, "changed", ""]]);
  assert.equal(steps.offers("changed"), true);
  assert.equal(steps.offers("orphaned"), false);
});
