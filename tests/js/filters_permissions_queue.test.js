import assert from "node:assert/strict";
import { test } from "node:test";

import { Filters, filterCss } from "../../annotator/static/annotator/filters.js";
import { Permissions } from "../../annotator/static/annotator/permissions.js";
import { nextUndecided, rejectNote, stepUndecided, targets } from "../../annotator/static/annotator/queue.js";

test("filters are classes on the container and a predicate for j/k", () => {
  const f = new Filters();
  f.kinds.delete("entity");
  f.status = "approved";
  assert.deepEqual(f.classes(), ["hide-entity", "only-status-approved"]);
  assert.equal(f.accepts({ kind: "claim", status: "approved", label: "claim" }), true);
  assert.equal(f.accepts({ kind: "entity", status: "approved", label: "person" }), false);
  assert.equal(f.accepts({ kind: "claim", status: "pending", label: "claim" }), false);
});

test("filter rules are made for every status and label, and nothing unsafe", () => {
  const css = filterCss(["approved"], ["person", "bad\"]{}"]);
  assert.match(css, /\.only-status-approved mark\.hl:not\(\.status-approved\)/);
  assert.match(css, /\.only-label-person \.panel-item:not\(\[data-label-slug="person"\]\)/);
  assert.doesNotMatch(css, /bad/);
});

const ANNOTATOR = { annotate: true, accept: true, suggest: true, review: false, edit: { own: ["suggested", "pending"], others: ["suggested"] }, restore: { own: true, others: false } };
const REVIEWER = { annotate: false, accept: false, suggest: false, review: true, edit: { own: [], others: [] }, restore: { own: true, others: false } };

test("an annotator edits own pending tags and suggestions, not an editor's tag", () => {
  const p = new Permissions(ANNOTATOR, "anna");
  assert.equal(p.canEdit({ author: "anna", status: "pending" }), true);
  assert.equal(p.canEdit({ author: "anna", status: "approved" }), false);
  assert.equal(p.canEdit({ author: "edith", status: "pending" }), false);
  assert.equal(p.canEdit({ author: "edith", status: "suggested" }), true);
  assert.equal(p.canRestore({ author: "edith" }), false);
});

test("a reviewer is offered nothing that tags", () => {
  const p = new Permissions(REVIEWER, "rey");
  assert.equal(p.allows("annotate"), false);
  assert.equal(p.allows("edit"), false);
  assert.equal(p.canAccept({ status: "suggested" }), false);
});

test("after a decision the cursor goes to the next undecided item, never skipping one", () => {
  const ids = [1, 2, 3, 4, 5];
  assert.equal(nextUndecided(ids, new Set([2, 3]), 3), 4);
  assert.equal(nextUndecided(ids, new Set([1]), 1), 2);
  assert.equal(nextUndecided(ids, new Set([4, 5]), 5), 3);
  assert.equal(nextUndecided(ids, new Set(ids), 5), null);
});

test("j/k step over finished items", () => {
  const ids = [1, 2, 3, 4];
  const done = new Set([2, 3]);
  assert.equal(stepUndecided(ids, done, 1, 1), 4);
  assert.equal(stepUndecided(ids, done, 4, -1), 1);
  assert.equal(stepUndecided(ids, done, 4, 1), 4);
});

test("a and r act on the picked items still open, else the current one", () => {
  assert.deepEqual(targets([1, 2, 3], new Set([2]), new Set([2, 3]), 1), [3]);
  assert.deepEqual(targets([1, 2, 3], new Set(), new Set(), 2), [2]);
  assert.deepEqual(targets([1, 2, 3], new Set([2]), new Set(), 2), []);
});

test("the reject note joins the preset reason and the reviewer's words", () => {
  assert.equal(rejectNote("Wrong label", "  it is a quote "), "Wrong label: it is a quote");
  assert.equal(rejectNote("", "only words"), "only words");
  assert.equal(rejectNote("Wrong label", ""), "Wrong label");
  assert.equal(rejectNote("", "  "), "");
});
