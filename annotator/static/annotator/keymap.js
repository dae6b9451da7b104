// Every key of the annotation page and the review queue, as one table each. A binding holds in
// a context; the contexts that are active together (activeContexts) never bind one key twice,
// which buildKeymap checks, and the `?` help is drawn from the same rows. Pure (no DOM).

export const CONTEXTS = {
  page: "Anywhere on the page",
  text: "With text selected",
  tag: "With a tag selected",
  suggestion: "With a machine suggestion selected",
  editor: "In the editor",
};

// `needs` names what the page data must allow (permissions.js) for the binding to exist.
export const ANNOTATE_KEYS = [
  { action: "next", key: "j", context: "page", help: "Next tag" },
  { action: "previous", key: "k", context: "page", help: "Previous tag" },
  { action: "undo", key: "Ctrl+z", context: "page", help: "Undo the last change" },
  { action: "redo", key: "Ctrl+Shift+z", context: "page", help: "Redo what was undone" },
  { action: "help", key: "?", context: "page", help: "Show these keys" },
  { action: "clear", key: "Escape", context: "page", help: "Clear the selection" },
  // The label keys come from the labels (buildKeymap adds one row per label).
  { action: "move", key: "r", context: "text", help: "Move the selected tag to the selected text", needs: "edit" },
  { action: "edit", key: "Enter", context: "tag", help: "Edit the selected tag (Ctrl+Enter saves, Escape closes)" },
  { action: "save", key: "Ctrl+Enter", context: "tag", help: "Save the editor", needs: "edit" },
  { action: "delete", key: "Delete", context: "tag", help: "Delete the selected tag", needs: "edit" },
  { action: "accept", key: "a", context: "suggestion", help: "Accept the selected suggestion", needs: "accept" },
  { action: "reject", key: "x", context: "suggestion", help: "Reject the selected suggestion", needs: "edit" },
  { action: "save", key: "Ctrl+Enter", context: "editor", help: "Save the editor", needs: "edit" },
  { action: "close", key: "Escape", context: "editor", help: "Close the editor" },
];

export const REVIEW_KEYS = [
  { action: "next", key: "j", context: "page", help: "Next item" },
  { action: "previous", key: "k", context: "page", help: "Previous item" },
  { action: "pick", key: " ", context: "page", help: "Select or unselect the item", needs: "review" },
  { action: "approve", key: "a", context: "page", help: "Approve the item, or every selected one", needs: "review" },
  { action: "reject", key: "r", context: "page", help: "Reject the item, or every selected one (asks why)", needs: "review" },
];

// Which contexts hold at once, by what is selected. The editor is alone: while typing, letters
// are letters.
export function activeContexts({ editing = false, textSelected = false, tag = null } = {}) {
  if (editing) return ["editor"];
  if (textSelected) return ["text", "page"];
  if (tag) return tag.status === "suggested" ? ["suggestion", "tag", "page"] : ["tag", "page"];
  return ["page"];
}

const ALL_ACTIVE_SETS = [["editor"], ["text", "page"], ["suggestion", "tag", "page"], ["tag", "page"], ["page"]];

// The name of a key press, as the table writes it: "j", "?", "Enter", "Ctrl+z",
// "Ctrl+Shift+z". Cmd counts as Ctrl (macOS). Alt combinations are left to the browser.
export function keyName(event) {
  if (event.altKey) return null;
  let key = event.key;
  if (!key || key === "Control" || key === "Shift" || key === "Meta" || key === "Alt") return null;
  const ctrl = event.ctrlKey || event.metaKey;
  const letter = key.length === 1 && key.toLowerCase() !== key.toUpperCase();
  if (letter) key = key.toLowerCase();
  // Shift is part of a letter's or a named key's binding; for other printable characters it
  // is already in the character ("?" is Shift+/ on many layouts, not on all).
  const shift = event.shiftKey && (letter || key.length > 1);
  return `${ctrl ? "Ctrl+" : ""}${shift ? "Shift+" : ""}${key}`;
}

// The table for this page: the fixed rows the user's permissions allow, plus one row per label
// key. A label key that would clash with a fixed key in a context active at the same time gets
// no key (its button still works) and is reported, so no key ever means two things.
export function buildKeymap(rows, labels = [], allowed = () => true) {
  const bindings = rows.filter((row) => !row.needs || allowed(row.needs)).map((row) => ({ ...row }));
  const conflicts = [];
  if (allowed("annotate")) {
    for (const label of labels) {
      if (!label.shortcut) continue;
      const key = label.shortcut.length === 1 ? label.shortcut.toLowerCase() : label.shortcut;
      const row = { action: "tag", label: label.slug, key, context: "text", help: `Tag the selected text as ${label.name}` };
      const clash = findClash(bindings, row);
      if (clash) conflicts.push({ label: label.slug, key, with: clash.action });
      else bindings.push(row);
    }
  }
  return { bindings, conflicts, lookup: lookupTable(bindings) };
}

function findClash(bindings, row) {
  for (const set of ALL_ACTIVE_SETS) {
    if (!set.includes(row.context)) continue;
    const clash = bindings.find((b) => b.key === row.key && set.includes(b.context));
    if (clash) return clash;
  }
  return null;
}

function lookupTable(bindings) {
  const table = new Map(); // context -> key -> binding
  for (const b of bindings) {
    if (!table.has(b.context)) table.set(b.context, new Map());
    table.get(b.context).set(b.key, b);
  }
  return table;
}

// Every key bound more than once among contexts active together: empty for a sound table.
export function duplicateKeys(bindings) {
  const found = [];
  for (const set of ALL_ACTIVE_SETS) {
    const seen = new Map();
    for (const b of bindings) {
      if (!set.includes(b.context)) continue;
      if (seen.has(b.key)) found.push({ key: b.key, contexts: set, actions: [seen.get(b.key).action, b.action] });
      else seen.set(b.key, b);
    }
  }
  return found;
}

// The binding a key press means in the given active contexts, most specific first.
export function resolve(keymap, contexts, name) {
  if (!name) return null;
  for (const context of contexts) {
    const binding = keymap.lookup.get(context)?.get(name);
    if (binding) return binding;
  }
  return null;
}

// How a key is written in the help: "j" stays "j", "Ctrl+z" -> "Ctrl+Z", " " -> "Space".
export function keyLabel(key) {
  if (key === " ") return "Space";
  if (!key.includes("+") || key === "+") return key;
  return key
    .split("+")
    .map((part) => (part.length === 1 ? part.toUpperCase() : part))
    .join("+");
}

// Rows for the help dialog, grouped by context in table order.
export function helpRows(keymap) {
  const groups = [];
  for (const [context, title] of Object.entries(CONTEXTS)) {
    const rows = keymap.bindings.filter((b) => b.context === context).map((b) => ({ key: keyLabel(b.key), help: b.help }));
    if (rows.length) groups.push({ context, title, rows });
  }
  return groups;
}
