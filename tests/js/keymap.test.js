import assert from "node:assert/strict";
import { test } from "node:test";

import { ANNOTATE_KEYS, REVIEW_KEYS, activeContexts, buildKeymap, duplicateKeys, helpRows, keyName, resolve } from "../../annotator/static/annotator/keymap.js";

const LABELS = [
  { slug: "claim", name: "Claim", shortcut: "c" },
  { slug: "person", name: "Person", shortcut: "p" },
  { slug: "other", name: "Other", shortcut: "x" },
];
const everything = () => true;

test("no key is bound twice among contexts active together", () => {
  assert.deepEqual(duplicateKeys(buildKeymap(ANNOTATE_KEYS, LABELS, everything).bindings), []);
  assert.deepEqual(duplicateKeys(buildKeymap(REVIEW_KEYS, [], everything).bindings), []);
});

test("each action has one key per context", () => {
  const { bindings } = buildKeymap(ANNOTATE_KEYS, LABELS, everything);
  const seen = new Set();
  for (const b of bindings) {
    const id = `${b.context}:${b.action}:${b.label || ""}`;
    assert.ok(!seen.has(id), id);
    seen.add(id);
  }
});

test("x rejects a selected suggestion and tags selected text as Other", () => {
  const keymap = buildKeymap(ANNOTATE_KEYS, LABELS, everything);
  const onSuggestion = resolve(keymap, activeContexts({ tag: { status: "suggested" } }), "x");
  assert.equal(onSuggestion.action, "reject");
  const onText = resolve(keymap, activeContexts({ textSelected: true, tag: { status: "suggested" } }), "x");
  assert.deepEqual([onText.action, onText.label], ["tag", "other"]);
});

test("a label key does nothing to a selected tag when no text is selected", () => {
  const keymap = buildKeymap(ANNOTATE_KEYS, LABELS, everything);
  assert.equal(resolve(keymap, activeContexts({ tag: { status: "pending" } }), "p"), null);
});

test("in the editor only Ctrl+Enter and Escape act; letters are letters", () => {
  const keymap = buildKeymap(ANNOTATE_KEYS, LABELS, everything);
  const editing = activeContexts({ editing: true, tag: { status: "pending" } });
  assert.equal(resolve(keymap, editing, "Ctrl+Enter").action, "save");
  assert.equal(resolve(keymap, editing, "Escape").action, "close");
  assert.equal(resolve(keymap, editing, "j"), null);
  assert.equal(resolve(keymap, editing, "Enter"), null);
});

test("a label key that clashes with a fixed key gets no key and is reported", () => {
  const keymap = buildKeymap(ANNOTATE_KEYS, [...LABELS, { slug: "event", name: "Event", shortcut: "j" }], everything);
  assert.deepEqual(keymap.conflicts, [{ label: "event", key: "j", with: "next" }]);
  assert.equal(resolve(keymap, ["text", "page"], "j").action, "next");
});

test("what the user may not do has no key", () => {
  const readOnly = buildKeymap(ANNOTATE_KEYS, LABELS, (need) => need !== "annotate" && need !== "edit" && need !== "accept");
  const actions = new Set(readOnly.bindings.map((b) => b.action));
  for (const gone of ["tag", "delete", "reject", "accept", "move", "save"]) assert.ok(!actions.has(gone), gone);
  assert.ok(actions.has("next"));
  const notReviewer = buildKeymap(REVIEW_KEYS, [], (need) => need !== "review");
  assert.equal(resolve(notReviewer, ["page"], "a"), null);
});

test("key names: letters lower-case, Shift on letters and named keys, Cmd as Ctrl", () => {
  assert.equal(keyName({ key: "J" , shiftKey: true }), "Shift+j");
  assert.equal(keyName({ key: "?", shiftKey: true }), "?");
  assert.equal(keyName({ key: "z", ctrlKey: true }), "Ctrl+z");
  assert.equal(keyName({ key: "Z", metaKey: true, shiftKey: true }), "Ctrl+Shift+z");
  assert.equal(keyName({ key: "Enter", ctrlKey: true }), "Ctrl+Enter");
  assert.equal(keyName({ key: "a", altKey: true }), null);
  assert.equal(keyName({ key: "Shift", shiftKey: true }), null);
});

test("the help lists every binding under its context", () => {
  const keymap = buildKeymap(ANNOTATE_KEYS, LABELS, everything);
  const rows = helpRows(keymap).flatMap((g) => g.rows);
  assert.equal(rows.length, keymap.bindings.length);
  assert.ok(rows.some((r) => r.key === "Ctrl+Shift+Z" && /Redo/.test(r.help)));
  assert.ok(rows.some((r) => r.key === "x" && /Reject/.test(r.help)));
});
