// The annotation page's entry module: the only one that touches the DOM at load. It reads the
// page data, wires the modules together and binds the events; what each part does lives in its
// own module (store, textview, textspan, panel, editor, actions, live, keymap, filters,
// permissions, announce, revisions). Offsets go to the server as code points (offsets.js).

import { Actions } from "./actions.js";
import { api } from "./api.js";
import { Announcer } from "./announce.js";
import { Editor } from "./editor.js";
import { Filters, filterCss } from "./filters.js";
import { ANNOTATE_KEYS, activeContexts, buildKeymap, helpRows, keyLabel, keyName, resolve } from "./keymap.js";
import { LivePoller } from "./live.js";
import { OffsetIndex } from "./offsets.js";
import { Panel } from "./panel.js";
import { Permissions } from "./permissions.js";
import { RevisionSteps, STEPS, dismissKey, noticeText } from "./revisions.js";
import { AnnotationStore, History, KINDS } from "./store.js";
import { spanFromUnits } from "./textspan.js";
import { TextView } from "./textview.js";

const page = JSON.parse(document.getElementById("page-data").textContent);
const root = document.getElementById("annotate");
const textEl = root.querySelector("[data-article-text]");
const helpDialog = root.querySelector("[data-help-dialog]");

// The server put the text in the article element once; reading it back must give exactly the
// stored string, or every offset would be wrong, so it is checked and otherwise fetched.
let TEXT = textEl.textContent;
if (TEXT.length !== page.article.text_utf16_length) {
  TEXT = (await api("GET", `/api/articles/${page.article.id}/`)).text;
}

const index = new OffsetIndex(TEXT);
const labels = new Map(page.labels.map((label) => [label.slug, label]));
const entities = new Map(page.entities.map((e) => [e.id, e]));
const permissions = new Permissions(page.permissions, page.user.username);
const store = new AnnotationStore(index);
const history = new History();
const filters = new Filters(KINDS);
const state = {
  selectedId: null,
  snapWords: localStorage.getItem("newsdesk.snapWords") === "1",
  touchSpan: null, // the last selection made by touch, kept for the label bar tap that follows
};

const keymap = buildKeymap(ANNOTATE_KEYS, page.labels, (need) => permissions.allows(need));
for (const clash of keymap.conflicts) console.warn(`Label key ${clash.key} of ${clash.label} clashes with ${clash.with}; it has no key here.`);
const keyOf = (action) => keyLabel(keymap.bindings.find((b) => b.action === action)?.key || "");

const view = new TextView(textEl, TEXT, { labels, selectedId: () => state.selectedId });
view.store = store;
const panel = new Panel(root.querySelector("[data-panel-list]"), { labels, entities, choices: page.choices, selectedId: () => state.selectedId });
const announcer = new Announcer(root.querySelector("[data-toast]"));
const say = (message, options) => announcer.say(message, options);

// --- Store changes reach the text, the panel and the editor together ------------------------

const fetching = new Set();
function ensureEntities(a) {
  // Another editor may link a span to an entity this page has not seen yet.
  for (const key of ["entity", "speaker"]) {
    const id = a.attributes?.[key];
    if (id && !entities.has(id) && !fetching.has(id)) {
      fetching.add(id);
      api("GET", `/api/entities/${id}/`)
        .then((entity) => {
          entities.set(entity.id, entity);
          const row = store.get(a.id);
          if (row) panel.place(row, row);
        })
        .catch(() => {})
        .finally(() => fetching.delete(id));
    }
  }
}

// Changes are applied together and each touched paragraph drawn once: a colleague's bulk run
// can bring a thousand tags into one paragraph, and drawing it per tag would take seconds.
function apply(changed, removedIds) {
  const placed = store.apply(changed, removedIds);
  view.rerender(view.place(placed));
  for (const [old, a] of placed) {
    panel.place(old, a);
    if (a) ensureEntities(a);
  }
  renderSuggestions();
  if (removedIds.includes(state.selectedId)) select(null);
  else if (changed.some((a) => a.id === state.selectedId)) editor.show(store.get(state.selectedId));
}

function select(id, { scroll = false } = {}) {
  const previous = state.selectedId;
  state.selectedId = id;
  view.setSelected(previous, id, { scroll });
  panel.setSelected(previous, id, { scroll });
  if (previous !== id || !editor.open) showEditorSoon();
}

// The highlight and the panel row answer a key at once; the editor, a form of its own, is built
// once that frame is on screen and the selection rests (j held down walks past many tags, and
// each would otherwise build a form nobody reads).
let editorTimer = null;
function showEditorSoon() {
  clearTimeout(editorTimer);
  requestAnimationFrame(() => {
    clearTimeout(editorTimer);
    editorTimer = setTimeout(() => editor.show(state.selectedId == null ? null : store.get(state.selectedId)), 60);
  });
}

// --- Selection in the text -> the span to save -----------------------------------------------

function selectedSpan() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const inside = (node) => node === textEl || textEl.contains(node);
  if (!inside(range.startContainer) || !inside(range.endContainer)) return null;
  const s = view.unitOffset(range.startContainer, range.startOffset);
  const e = view.unitOffset(range.endContainer, range.endOffset);
  if (s == null || e == null) return null;
  return spanFromUnits(TEXT, index, s, e, { snapWords: state.snapWords });
}

function clearTextSelection() {
  window.getSelection().removeAllRanges();
  state.touchSpan = null;
}

// A long-press selection on a phone, adjusted with its handles, is remembered: the tap on a
// label that follows can collapse it before the click arrives.
document.addEventListener("selectionchange", () => {
  const span = selectedSpan();
  root.classList.toggle("has-text-selection", Boolean(span));
  if (span && state.lastPointer === "touch") state.touchSpan = span;
});
document.addEventListener("pointerdown", (event) => (state.lastPointer = event.pointerType), { capture: true });

const actions = new Actions({
  page, store, history, labels, entities, permissions, apply, say, select, selectedSpan, clearTextSelection,
  undoKey: keyOf("undo"), redoKey: keyOf("redo"),
});  // prettier-ignore

const editor = new Editor(root.querySelector("[data-editor]"), {
  page, labels, entities, store, permissions, actions, say,
  onClose: () => closeEditor(),
});  // prettier-ignore

function closeEditor() {
  const id = state.selectedId;
  select(null);
  // The keyboard goes back to where the tag is: its row in the panel, or the text.
  const row = id != null && panel.rows.get(id);
  (row || textEl).focus({ preventScroll: true });
}

// --- Suggestions summary -------------------------------------------------------------------

const suggestionsEl = root.querySelector("[data-suggestions]");
function renderSuggestions() {
  const counts = new Map();
  for (const a of store.values()) if (a.status === "suggested") counts.set(a.label, (counts.get(a.label) || 0) + 1);
  suggestionsEl.hidden = counts.size === 0;
  if (!counts.size) return suggestionsEl.replaceChildren();
  const heading = document.createElement("h2");
  heading.textContent = "Machine suggestions";
  const list = document.createElement("ul");
  for (const [slug, count] of counts) {
    const li = document.createElement("li");
    li.append(`${labels.get(slug)?.name || slug}: ${count} `);
    const may = [...store.values()].some((a) => a.status === "suggested" && a.label === slug && permissions.canEdit(a));
    if (permissions.allows("accept")) {
      const accept = Object.assign(document.createElement("button"), { type: "button", className: "small", textContent: "Accept all" });
      accept.dataset.acceptAll = slug;
      accept.addEventListener("click", () => actions.reviewAll(slug, true));
      li.append(accept, " ");
    }
    if (may) {
      const reject = Object.assign(document.createElement("button"), { type: "button", className: "small", textContent: "Reject all" });
      reject.dataset.rejectAll = slug;
      reject.addEventListener("click", () => actions.reviewAll(slug, false));
      li.append(reject);
    }
    list.append(li);
  }
  suggestionsEl.replaceChildren(heading, list);
}

// --- Keys ----------------------------------------------------------------------------------

function fillHelp() {
  const box = helpDialog.querySelector("[data-help-keys]");
  box.replaceChildren();
  for (const group of helpRows(keymap)) {
    const table = document.createElement("table");
    table.className = "shortcuts";
    const caption = table.createCaption();
    caption.textContent = group.title;
    for (const row of group.rows) {
      const tr = table.insertRow();
      const th = document.createElement("th");
      th.scope = "row";
      const kbd = document.createElement("kbd");
      kbd.textContent = row.key;
      th.append(kbd);
      const td = document.createElement("td");
      td.textContent = row.help;
      tr.append(th, td);
    }
    box.append(table);
  }
}

function run(binding, event) {
  const a = store.get(state.selectedId);
  switch (binding.action) {
    case "next":
    case "previous": {
      const next = store.neighbour(state.selectedId, binding.action === "next" ? 1 : -1, (x) => filters.accepts(x));
      if (!next) return say("No tags to go to.");
      select(next.id, { scroll: true });
      return;
    }
    case "undo":
      return actions.undo();
    case "redo":
      return actions.redo();
    case "help":
      return helpDialog.showModal();
    case "clear":
      clearTextSelection();
      return select(null);
    case "tag":
      return actions.create(binding.label);
    case "move":
      if (!a) return say("Select a tag first (click it, or j/k), then the new text, then press r.", { kind: "error" });
      if (!permissions.canEdit(a)) return say("You cannot change this tag.", { kind: "error" });
      return actions.move(a);
    case "edit":
      if (!editor.open || editor.current?.id !== a.id) editor.show(a);
      return editor.focusFirst();
    case "delete":
      if (!permissions.canEdit(a)) return say("You cannot delete this tag.", { kind: "error" });
      return actions.remove(a);
    case "accept":
      return actions.accept(a);
    case "reject":
      if (!permissions.canEdit(a)) return say("You cannot reject this suggestion.", { kind: "error" });
      return actions.remove(a);
    case "save":
      return editor.submit();
    case "close":
      return closeEditor();
  }
}

document.addEventListener("keydown", (event) => {
  if (helpDialog.open) return; // the dialog handles its own keys; Escape closes it
  const inEditor = event.target.closest?.("[data-editor]");
  if (!inEditor && event.target.closest?.("input:not([type=checkbox]), textarea, select, dialog")) return;
  const name = keyName(event);
  const contexts = activeContexts({ editing: Boolean(inEditor), textSelected: !inEditor && Boolean(selectedSpan()), tag: store.get(state.selectedId) });
  const binding = resolve(keymap, contexts, name);
  if (binding) {
    event.preventDefault();
    run(binding, event);
    return;
  }
  // The text is contenteditable only to get a caret for Shift+arrow selection: nothing typed
  // may change it.
  if (event.target === textEl && (event.key.length === 1 || event.key === "Backspace" || event.key === "Delete" || event.key === "Enter")) {
    event.preventDefault();
  }
});

for (const type of ["beforeinput", "paste", "drop", "cut"]) textEl.addEventListener(type, (event) => event.preventDefault());

// --- Pointer and panel ---------------------------------------------------------------------

const panelList = root.querySelector("[data-panel-list]");
function selectRow(item) {
  const id = item.dataset.panelId;
  select(store.has(Number(id)) ? Number(id) : id, { scroll: true });
}
panelList.addEventListener("click", (event) => {
  const item = event.target.closest("[data-panel-id]");
  if (item) selectRow(item);
});
panelList.addEventListener("keydown", (event) => {
  const item = event.target.closest("[data-panel-id]");
  if (!item || event.target !== item || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    event.stopPropagation();
    selectRow(item);
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    const rows = [...item.closest("[data-panel-list]").querySelectorAll(".panel-item")].filter((r) => r.offsetParent !== null);
    const at = rows.indexOf(item) + (event.key === "ArrowDown" ? 1 : -1);
    rows[Math.max(0, Math.min(at, rows.length - 1))]?.focus();
  }
});

textEl.addEventListener("click", (event) => {
  if (!window.getSelection().isCollapsed) return;
  const ids = [];
  for (let node = event.target; node && node !== textEl; node = node.parentElement) {
    if (node.matches("mark")) {
      const id = store.has(Number(node.dataset.annotationId)) ? Number(node.dataset.annotationId) : node.dataset.annotationId;
      if (store.get(id) && filters.accepts(store.get(id))) ids.push(id);
    }
  }
  if (!ids.length) return select(null);
  // Clicking again where spans nest cycles from the innermost outwards.
  const at = ids.indexOf(state.selectedId);
  select(ids[(at + 1) % ids.length]);
});

for (const button of root.querySelectorAll("[data-label]")) {
  button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  button.addEventListener("click", () => {
    const span = selectedSpan() || (state.lastPointer === "touch" ? state.touchSpan : null);
    const a = store.get(state.selectedId);
    if (span) actions.create(button.dataset.label, span);
    else if (a && permissions.canEdit(a) && a.label !== button.dataset.label) actions.update(a, { label: button.dataset.label });
    else say("Select some text first, then pick a label.", { kind: "error" });
  });
}

// --- Filters: classes on the container ------------------------------------------------------

const sheet = new CSSStyleSheet();
sheet.replaceSync(filterCss(page.choices.statuses.map(([v]) => v), page.labels.map((l) => l.slug)));
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

function readFilters() {
  filters.kinds = new Set([...root.querySelectorAll("[data-filter-kind]")].filter((c) => c.checked).map((c) => c.dataset.filterKind));
  filters.status = root.querySelector("[data-filter-status]").value;
  filters.label = root.querySelector("[data-filter-label]").value;
  for (const name of [...root.classList]) if (/^(hide-|only-)/.test(name)) root.classList.remove(name);
  root.classList.add(...filters.classes());
  const a = store.get(state.selectedId);
  if (a && !filters.accepts(a)) select(null);
}
for (const control of root.querySelectorAll("[data-filter-kind], [data-filter-status], [data-filter-label]")) control.addEventListener("change", readFilters);

const snap = root.querySelector("[data-snap-words]");
if (snap) {
  snap.checked = state.snapWords;
  snap.addEventListener("change", () => {
    state.snapWords = snap.checked;
    localStorage.setItem("newsdesk.snapWords", snap.checked ? "1" : "0");
  });
}

// On a phone the view options start folded, so the text starts near the top.
const viewMenu = root.querySelector("[data-view-menu]");
if (viewMenu && window.matchMedia("(max-width: 700px)").matches) viewMenu.open = false;

root.querySelector("[data-help]").addEventListener("click", () => helpDialog.showModal());

root.querySelector("[data-suggest]")?.addEventListener("click", async () => {
  try {
    const created = await api("POST", `/api/articles/${page.article.id}/suggest/`);
    apply(created, []);
    say(created.length ? `${created.length} suggestion(s) added, shown dashed. Accept with a, reject with x.` : "No new suggestions.");
  } catch (error) {
    say(`Suggestions failed: ${error.message}`, { kind: "error" });
  }
});

for (const button of root.querySelectorAll("[data-move-status]")) {
  button.addEventListener("click", async () => {
    try {
      await api("POST", `/api/articles/${page.article.id}/status/`, { status: button.dataset.moveStatus });
      window.location.reload();
    } catch (error) {
      say(`Status not changed: ${error.message}`, { kind: "error" });
    }
  });
}

// --- The revision notice: what the latest edit of the text did to the tags -----------------

const noticeEl = root.querySelector("[data-revision-notice]");
const notice = page.revision_notice;
const dismissed = notice && localStorage.getItem(dismissKey(page.article.id, notice.number)) === "1";
// The server sends a notice only when the revision moved, changed or orphaned a tag.
if (noticeEl && notice && !dismissed) {
  const steps = new RevisionSteps(notice.tags);
  for (const button of noticeEl.querySelectorAll("[data-revision-step]")) {
    const step = button.dataset.revisionStep;
    button.hidden = !steps.offers(step);
    // The same selection as j/k and a click on a row: the highlight, its panel row (an orphan
    // has only the row) and the editor, which offers an orphan's repair.
    button.addEventListener("click", () => {
      const found = steps.next(store, state.selectedId, step, { visible: (a) => filters.accepts(a) });
      if (found) {
        select(found.a.id, { scroll: true });
        return say(found.text);
      }
      const hidden = steps.next(store, state.selectedId, step);
      say(hidden ? "The view's filters hide them; show every kind and status to step through them." : STEPS[step].none);
    });
  }
  noticeEl.querySelector("[data-revision-dismiss]").addEventListener("click", () => {
    localStorage.setItem(dismissKey(page.article.id, notice.number), "1");
    noticeEl.hidden = true;
    textEl.focus({ preventScroll: true }); // the focused button is gone: the keyboard goes on in the text
  });
  noticeEl.hidden = false;
  // Written once the region shows, so a screen reader hears it as the page opens.
  noticeEl.querySelector("[data-revision-text]").textContent = noticeText(notice);
}

// --- Live updates ----------------------------------------------------------------------------

const poller = new LivePoller({
  articleId: page.article.id,
  since: page.server_time,
  onChanges(changed, removed) {
    const newer = changed.filter((a) => {
      const mine = store.get(a.id);
      return !mine || mine.version < a.version;
    });
    const selected = newer.find((a) => a.id === state.selectedId && a.author !== page.user.username && store.has(a.id));
    if (selected) say("This tag was just changed by someone else; their version is shown.");
    apply(newer, removed.filter((id) => store.has(id)));
  },
  onError(error) {
    say(error.message, { kind: "error" });
  },
});
// The browser tests drive the poll themselves (with ANNOTATION_POLL_MS=0), so they decide when
// the page sees a colleague's change.
window.newsdeskPage = { poll: () => poller.poll() };

// --- Start ----------------------------------------------------------------------------------

// Same request as the page's <link rel=preload>, so it is answered from that.
const feed = await fetch(page.annotations_url, { credentials: "include" });
if (!feed.ok) say(`The tags could not be loaded (${feed.status}); reload the page.`, { kind: "error" });
performance.mark("newsdesk:feed");
const initial = feed.ok ? await feed.json() : [];
view.place(store.apply(initial, []));
if (permissions.annotate) {
  textEl.contentEditable = "true";
  textEl.spellcheck = false;
  textEl.setAttribute("inputmode", "none");
}
performance.mark("newsdesk:indexed");
view.renderAll();
fillHelp();
performance.mark("newsdesk:text");
// The text with its highlights is painted first; the side panel is built in the next task,
// and the page says it is ready once both are there.
requestAnimationFrame(() =>
  setTimeout(() => {
    performance.mark("newsdesk:painted");
    panel.build(store.sorted());
    renderSuggestions();
    performance.mark("newsdesk:panel");
    requestAnimationFrame(() => {
      performance.mark("newsdesk:ready");
      textEl.dataset.ready = "true";
    });
    const deepLink = window.location.hash.match(/^#annotation-(\d+)$/);
    if (deepLink && store.has(Number(deepLink[1]))) select(Number(deepLink[1]), { scroll: true });
  }),
);
poller.start(page.poll_ms);
