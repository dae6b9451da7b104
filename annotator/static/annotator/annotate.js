// The annotation page. Text is rendered once per paragraph as text nodes (never as HTML);
// highlights are nested <mark> elements computed per paragraph, so a change re-renders only
// the paragraphs it touches. Offsets go to the server as code points (offsets.js).

import { api, ApiError } from "./api.js";
import { OffsetIndex } from "./offsets.js";

const page = JSON.parse(document.getElementById("page-data").textContent);
const root = document.getElementById("annotate");
const textEl = root.querySelector("[data-article-text]");
const panelList = root.querySelector("[data-panel-list]");
const editorEl = root.querySelector("[data-editor]");
const suggestionsEl = root.querySelector("[data-suggestions]");
const toastEl = root.querySelector("[data-toast]");
const helpDialog = root.querySelector("[data-help-dialog]");

// The server put the text in the article element once; reading it back must give exactly the
// stored string, or every offset would be wrong, so it is checked and otherwise fetched.
let TEXT = textEl.textContent;
if (TEXT.length !== page.article.text_utf16_length) {
  TEXT = (await api("GET", `/api/articles/${page.article.id}/`)).text;
}
const index = new OffsetIndex(TEXT);
const labels = new Map(page.labels.map((label) => [label.slug, label]));
const labelByKey = new Map(page.labels.filter((l) => l.shortcut).map((l) => [l.shortcut.toLowerCase(), l]));
const entities = new Map(page.entities.map((e) => [e.id, e]));
const annotations = new Map(); // id -> annotation (server shape + u16 offsets)
const KIND_ORDER = { claim: 0, quote: 1, entity: 2 };
const KIND_NAMES = { claim: "Claims", quote: "Quotes", entity: "Entities" };

const state = {
  selectedId: null,
  filters: { kinds: new Set(["claim", "quote", "entity"]), status: "", label: "" },
  snapWords: localStorage.getItem("newsdesk.snapWords") === "1",
  undo: [],
  lastSync: page.server_time,
  tempId: 0,
};

// --- Paragraphs -------------------------------------------------------------------------

const paragraphs = []; // {start, end, el, ids:Set}, UTF-16 offsets; end excludes the "\n"
{
  let start = 0;
  for (const line of TEXT.split("\n")) {
    paragraphs.push({ start, end: start + line.length, el: null, ids: new Set() });
    start += line.length + 1;
  }
}
const paragraphStarts = paragraphs.map((p) => p.start);

function paragraphAt(unit) {
  let lo = 0;
  let hi = paragraphStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (paragraphStarts[mid] <= unit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function paragraphRange(a) {
  return [paragraphAt(a.s16), paragraphAt(Math.max(a.s16, a.e16 - 1))];
}

function indexAnnotation(a) {
  const [first, last] = paragraphRange(a);
  for (let i = first; i <= last; i++) paragraphs[i].ids.add(a.id);
  return [first, last];
}

function unindexAnnotation(a) {
  const [first, last] = paragraphRange(a);
  for (let i = first; i <= last; i++) paragraphs[i].ids.delete(a.id);
  return [first, last];
}

function withUtf16(a) {
  a.s16 = index.toUtf16(a.start);
  a.e16 = index.toUtf16(a.end);
  return a;
}

function isVisible(a) {
  const f = state.filters;
  return f.kinds.has(a.kind) && (!f.status || a.status === f.status) && (!f.label || a.label === f.label);
}

// An orphaned span's offsets belong to a text that is gone: drawn, they would mark other words.
// It is listed in the panel until someone moves it to its words again (or deletes it).
function isOrphaned(a) {
  return a.anchor_state === "orphaned";
}

function outerFirst(a, b) {
  return a.s16 - b.s16 || b.e16 - a.e16 || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || String(a.id).localeCompare(String(b.id));
}

function makeMark(a, depth) {
  const mark = document.createElement("mark");
  const label = labels.get(a.label);
  mark.className = `hl kind-${a.kind} status-${a.status}${a.id === state.selectedId ? " selected" : ""}`;
  mark.dataset.annotationId = a.id;
  mark.style.setProperty("--c", label ? label.color : "#888");
  mark.style.setProperty("--depth", depth);
  mark.title = `${label ? label.name : a.label} · ${a.status}`;
  return mark;
}

function renderParagraph(i) {
  const p = paragraphs[i];
  const el = document.createElement("span");
  el.className = "para";
  el.dir = "auto";
  el.dataset.start = p.start;
  const covering = [...p.ids].map((id) => annotations.get(id)).filter((a) => a && isVisible(a) && !isOrphaned(a));
  const bounds = new Set([p.start, p.end]);
  for (const a of covering) {
    bounds.add(Math.max(a.s16, p.start));
    bounds.add(Math.min(a.e16, p.end));
  }
  const cuts = [...bounds].sort((x, y) => x - y);
  covering.sort(outerFirst);
  // Open marks as a stack from outermost to innermost; a segment whose covering set differs
  // closes back to the common prefix and opens the rest (crossing spans become fragments).
  let stack = [];
  const parents = [el];
  for (let k = 0; k < cuts.length - 1; k++) {
    const from = cuts[k];
    const to = cuts[k + 1];
    if (from >= to) continue;
    const here = covering.filter((a) => a.s16 <= from && a.e16 >= to);
    let common = 0;
    while (common < stack.length && common < here.length && stack[common] === here[common]) common++;
    stack = stack.slice(0, common);
    parents.length = common + 1;
    for (let d = common; d < here.length; d++) {
      const mark = makeMark(here[d], d);
      parents[parents.length - 1].appendChild(mark);
      parents.push(mark);
      stack.push(here[d]);
    }
    parents[parents.length - 1].appendChild(document.createTextNode(TEXT.slice(from, to)));
  }
  if (i < paragraphs.length - 1) el.appendChild(document.createTextNode("\n"));
  if (p.el) p.el.replaceWith(el);
  p.el = el;
  return el;
}

function renderAll() {
  const fragment = document.createDocumentFragment();
  for (let i = 0; i < paragraphs.length; i++) {
    paragraphs[i].el = null;
    fragment.appendChild(renderParagraph(i));
  }
  textEl.replaceChildren(fragment);
}

function rerender(ranges) {
  const done = new Set();
  for (const [first, last] of ranges) {
    for (let i = first; i <= last; i++) {
      if (!done.has(i)) {
        done.add(i);
        renderParagraph(i);
      }
    }
  }
}

// --- The annotation store -------------------------------------------------------------------

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
          schedulePanel();
        })
        .catch(() => {})
        .finally(() => fetching.delete(id));
    }
  }
}

function upsert(a) {
  apply([a], []);
}

function remove(id) {
  apply([], [id]);
}

// Changes are applied together and each touched paragraph drawn once: a colleague's bulk run
// can bring a thousand tags into one paragraph, and drawing it per tag would take seconds.
function apply(changed, removedIds) {
  const ranges = [];
  const placed = [];
  for (const id of removedIds) {
    const old = annotations.get(id);
    if (!old) continue;
    annotations.delete(id);
    ranges.push(unindexAnnotation(old));
    placed.push([old, null]);
  }
  for (const a of changed) {
    ensureEntities(a);
    const old = annotations.get(a.id);
    if (old) ranges.push(unindexAnnotation(old));
    withUtf16(a);
    annotations.set(a.id, a);
    ranges.push(indexAnnotation(a));
    placed.push([old, a]);
  }
  rerender(ranges);
  for (const [old, a] of placed) panelPlace(old, a);
  if (removedIds.includes(state.selectedId)) select(null);
  else if (changed.some((a) => a.id === state.selectedId)) showEditor();
}

function replaceId(tempId, real) {
  const temp = annotations.get(tempId);
  if (temp) {
    annotations.delete(tempId);
    unindexAnnotation(temp);
    panelPlace(temp, null);
  }
  if (state.selectedId === tempId) state.selectedId = real.id;
  upsert(real);
}

function sortedVisible() {
  return [...annotations.values()].filter(isVisible).sort(outerFirst);
}

// --- Messages ---------------------------------------------------------------------------------

let toastTimer;
function toast(message, kind = "info") {
  toastEl.textContent = message;
  toastEl.className = `toast show ${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => toastEl.classList.remove("show"), kind === "error" ? 9000 : 3500);
}

function failed(error, what) {
  const message = error instanceof ApiError ? error.message : String(error);
  toast(`${what}: ${message}`, "error");
}

// --- Selection -> offsets -------------------------------------------------------------------

function unitOffset(node, offset) {
  if (node === textEl) {
    if (offset >= textEl.childNodes.length) return TEXT.length;
    return Number(textEl.childNodes[offset].dataset.start);
  }
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  const para = element.closest(".para");
  if (!para || !textEl.contains(para)) return null;
  const range = document.createRange();
  range.setStart(para, 0);
  range.setEnd(node, offset);
  return Number(para.dataset.start) + range.toString().length;
}

const WORD = /[\p{L}\p{N}\p{M}_'’-]/u;

function selectedSpan() {
  const selection = window.getSelection();
  if (!selection.rangeCount || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!textEl.contains(range.startContainer) && range.startContainer !== textEl) return null;
  if (!textEl.contains(range.endContainer) && range.endContainer !== textEl) return null;
  let s = unitOffset(range.startContainer, range.startOffset);
  let e = unitOffset(range.endContainer, range.endOffset);
  if (s == null || e == null) return null;
  // The line break that a triple click takes along is never part of a tag.
  while (e > s && TEXT[e - 1] === "\n") e--;
  while (s < e && TEXT[s] === "\n") s++;
  if (state.snapWords) {
    while (s > 0 && WORD.test(TEXT[s - 1]) && WORD.test(TEXT[s])) s--;
    while (e < TEXT.length && WORD.test(TEXT[e]) && WORD.test(TEXT[e - 1])) e++;
    while (s < e && /\s/.test(TEXT[s])) s++;
    while (e > s && /\s/.test(TEXT[e - 1])) e--;
  }
  s = index.clamp(s, -1);
  e = index.clamp(e, 1);
  if (e <= s) return null;
  return { s16: s, e16: e, start: index.toCodePoint(s), end: index.toCodePoint(e), quote: TEXT.slice(s, e) };
}

// --- Actions --------------------------------------------------------------------------------

async function createAnnotation(labelSlug) {
  if (!page.user.can_annotate) return toast("You cannot annotate this article.", "error");
  const span = selectedSpan();
  if (!span) return toast("Select some text first, then press a label key.", "error");
  const label = labels.get(labelSlug);
  const tempId = `tmp-${++state.tempId}`;
  upsert({
    id: tempId, label: labelSlug, kind: label.kind, start: span.start, end: span.end, quote: span.quote,
    attributes: {}, status: "pending", origin: "human", author: page.user.username, version: 0,
  });
  window.getSelection().removeAllRanges();
  select(tempId);
  try {
    const saved = await api("POST", "/api/annotations/", {
      article: page.article.id, label: labelSlug, start: span.start, end: span.end, quote: span.quote,
    });
    replaceId(tempId, saved);
    state.undo.push({ type: "create", id: saved.id });
    toast(`${label.name} tagged: “${shorten(saved.quote)}”`);
  } catch (error) {
    remove(tempId);
    failed(error, "Not saved");
  }
}

async function patchAnnotation(a, changes, { record = true } = {}) {
  const before = { label: a.label, start: a.start, end: a.end, attributes: a.attributes };
  try {
    const saved = await api("PATCH", `/api/annotations/${a.id}/`, { version: a.version, ...changes });
    upsert(saved);
    if (record) state.undo.push({ type: "update", id: a.id, before });
    return saved;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      toast("Someone else changed this annotation first. Your change was not saved; the current version is shown, so you can apply it again.", "error");
      try {
        upsert(await api("GET", `/api/annotations/${a.id}/`));
      } catch (reload) {
        if (reload.status === 404) remove(a.id);
      }
    } else {
      failed(error, "Not saved");
    }
    return null;
  }
}

async function deleteAnnotation(a, { record = true } = {}) {
  try {
    await api("DELETE", `/api/annotations/${a.id}/?version=${a.version}`);
    remove(a.id);
    if (record) state.undo.push({ type: "delete", id: a.id });
    toast(`Deleted “${shorten(a.quote)}”. Press u or Ctrl+Z to undo.`);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 409) {
      toast("Someone else changed this annotation first; it was not deleted. Look at it again.", "error");
      upsert(await api("GET", `/api/annotations/${a.id}/`));
    } else failed(error, "Not deleted");
    return false;
  }
}

async function undo() {
  const step = state.undo.pop();
  if (!step) return toast("Nothing to undo.");
  try {
    if (step.type === "create") {
      const a = annotations.get(step.id);
      if (a) await deleteAnnotation(a, { record: false });
    } else if (step.type === "delete") {
      upsert(await api("POST", `/api/annotations/${step.id}/restore/`));
      toast("Restored.");
    } else if (step.type === "update") {
      const a = annotations.get(step.id);
      if (a) await patchAnnotation(a, step.before, { record: false });
      toast("Change undone.");
    }
  } catch (error) {
    failed(error, "Could not undo");
  }
}

async function review(a, accept) {
  try {
    if (accept) {
      upsert(await api("POST", `/api/annotations/${a.id}/accept/`));
    } else {
      await api("DELETE", `/api/annotations/${a.id}/?version=${a.version}`);
      remove(a.id);
      state.undo.push({ type: "delete", id: a.id });
    }
  } catch (error) {
    failed(error, accept ? "Not accepted" : "Not rejected");
  }
}

async function reviewAll(labelSlug, accept) {
  const chosen = [...annotations.values()].filter((a) => a.status === "suggested" && a.label === labelSlug);
  for (const a of chosen) await review(a, accept);
  toast(`${accept ? "Accepted" : "Rejected"} ${chosen.length} suggestion(s).`);
}

// --- Selecting annotations --------------------------------------------------------------------

function select(id, { scroll = false } = {}) {
  const previous = state.selectedId;
  state.selectedId = id;
  for (const mark of textEl.querySelectorAll("mark.selected")) mark.classList.remove("selected");
  if (id != null) {
    const marks = textEl.querySelectorAll(`mark[data-annotation-id="${CSS.escape(String(id))}"]`);
    marks.forEach((m) => m.classList.add("selected"));
    if (scroll && marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "instant" });
  }
  for (const item of panelList.querySelectorAll(".selected")) item.classList.remove("selected");
  const item = panelNodes.get(id);
  if (item) {
    item.classList.add("selected");
    if (scroll) item.scrollIntoView({ block: "nearest" });
  }
  if (previous !== id) showEditor();
}

function step(direction) {
  const list = sortedVisible();
  if (!list.length) return;
  let at = list.findIndex((a) => a.id === state.selectedId);
  at = at === -1 ? (direction > 0 ? 0 : list.length - 1) : (at + direction + list.length) % list.length;
  select(list[at].id, { scroll: true });
}

// --- Panel ----------------------------------------------------------------------------------

function shorten(text, n = 80) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") for (const [k, v] of Object.entries(value)) node.style.setProperty(k, v);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (value !== undefined && value !== null && value !== false) node[key] = value;
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function describe(a) {
  if (isOrphaned(a)) return "needs repair: its text is no longer in the article";
  const attrs = a.attributes || {};
  if (a.kind === "quote") {
    const speaker = attrs.speaker ? entities.get(attrs.speaker)?.name : null;
    return speaker || attrs.speaker_name ? `— ${speaker || attrs.speaker_name}` : "no speaker yet";
  }
  if (a.kind === "claim") {
    return attrs.verdict ? `verdict: ${attrs.verdict.replace("_", " ")}` : `fact-check: ${attrs.fact_check_state || "unchecked"}`;
  }
  const linked = attrs.entity ? entities.get(attrs.entity) : null;
  return linked ? `→ ${linked.name}` : "not linked";
}

// The panel is built once, then kept in step item by item: rebuilding 5,000 rows on every tag
// would cost more than the tag itself.
const panelNodes = new Map(); // id -> <li>
const panelGroups = {}; // kind -> {list, heading, items (sorted)}

function panelItem(a) {
  const label = labels.get(a.label);
  return el(
    "li",
    {
      className: `panel-item status-${a.status}${isOrphaned(a) ? " orphaned" : ""}${a.id === state.selectedId ? " selected" : ""}`,
      dataset: { panelId: a.id },
      tabIndex: -1,
    },
    el("span", { className: "chip", style: { "--label-color": label?.color || "#888" }, textContent: label?.name || a.label }),
    el("span", { className: "panel-quote", dir: "auto", textContent: shorten(a.quote) }),
    el("span", { className: "panel-detail", textContent: describe(a) }),
    el("span", { className: `badge status-${a.status}`, textContent: a.status }),
  );
}

function insertionIndex(items, a) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (outerFirst(items[mid], a) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function countHeading(kind) {
  const group = panelGroups[kind];
  if (group) group.heading.textContent = `${KIND_NAMES[kind]} (${group.items.length})`;
}

function panelPlace(old, a) {
  if (old) {
    const group = panelGroups[old.kind];
    const at = group ? group.items.indexOf(old) : -1;
    if (at !== -1) group.items.splice(at, 1);
    panelNodes.get(old.id)?.remove();
    panelNodes.delete(old.id);
    countHeading(old.kind);
  }
  if (a && isVisible(a) && panelGroups[a.kind]) {
    const group = panelGroups[a.kind];
    const at = insertionIndex(group.items, a);
    group.items.splice(at, 0, a);
    const li = panelItem(a);
    panelNodes.set(a.id, li);
    group.list.insertBefore(li, group.list.children[at] || null);
    countHeading(a.kind);
  }
  renderSuggestions();
}

let panelQueued = false;
function schedulePanel() {
  // Whole-panel refresh, for changes that touch many rows (an entity's name arriving).
  if (panelQueued) return;
  panelQueued = true;
  requestAnimationFrame(() => {
    panelQueued = false;
    renderPanel();
  });
}

function renderPanel() {
  const groups = { claim: [], quote: [], entity: [] };
  for (const a of sortedVisible()) groups[a.kind].push(a);
  const fragment = document.createDocumentFragment();
  panelNodes.clear();
  for (const kind of ["claim", "quote", "entity"]) {
    delete panelGroups[kind];
    if (!state.filters.kinds.has(kind)) continue;
    const list = el("ol", { className: "panel-items" });
    for (const a of groups[kind]) {
      const li = panelItem(a);
      panelNodes.set(a.id, li);
      list.append(li);
    }
    const heading = el("h2");
    panelGroups[kind] = { list, heading, items: groups[kind] };
    countHeading(kind);
    fragment.append(el("section", { className: `panel-group kind-${kind}` }, heading, list));
  }
  panelList.replaceChildren(fragment);
  renderSuggestions();
}

function renderSuggestions() {
  const counts = new Map();
  for (const a of annotations.values()) if (a.status === "suggested") counts.set(a.label, (counts.get(a.label) || 0) + 1);
  suggestionsEl.hidden = counts.size === 0;
  if (!counts.size) return suggestionsEl.replaceChildren();
  const rows = [...counts].map(([slug, count]) =>
    el(
      "li",
      {},
      `${labels.get(slug)?.name || slug}: ${count} `,
      el("button", { type: "button", className: "small", textContent: "Accept all", dataset: { acceptAll: slug }, onclick: () => reviewAll(slug, true) }),
      " ",
      el("button", { type: "button", className: "small", textContent: "Reject all", dataset: { rejectAll: slug }, onclick: () => reviewAll(slug, false) }),
    ),
  );
  suggestionsEl.replaceChildren(el("h2", { textContent: "Machine suggestions" }), el("ul", {}, ...rows));
}

// --- Editor (side panel for the selected annotation) ----------------------------------------

function select_(name, options, value) {
  return el("select", { name }, ...options.map(([v, text]) => el("option", { value: v, textContent: text, selected: v === (value ?? "") })));
}

function field(labelText, control) {
  return el("label", { className: "field" }, el("span", { textContent: labelText }), control);
}

async function searchEntities(query) {
  const data = await api("GET", `/api/entities/?q=${encodeURIComponent(query)}&page_size=10`);
  for (const e of data.results) entities.set(e.id, e);
  return data.results;
}

function entityPicker(name, currentId, fallbackQuery, entityType) {
  const hidden = el("input", { type: "hidden", name, value: currentId ?? "" });
  const current = el("span", { className: "entity-current", textContent: currentId ? entities.get(currentId)?.name || `#${currentId}` : "none" });
  const results = el("ul", { className: "entity-results" });
  const search = el("input", { type: "search", placeholder: "Search known entities", value: "", dataset: { entitySearch: name } });
  const choose = (entity) => {
    hidden.value = entity ? entity.id : "";
    current.textContent = entity ? entity.name : "none";
    results.replaceChildren();
  };
  const run = async () => {
    const query = search.value.trim();
    if (!query) return results.replaceChildren();
    try {
      const found = await searchEntities(query);
      results.replaceChildren(
        ...found.map((e) => el("li", {}, el("button", { type: "button", className: "link", textContent: `${e.name} (${e.type})`, onclick: () => choose(e) }))),
        el("li", {}, el("button", {
          type: "button", className: "link", textContent: `Create “${query}”`, dataset: { createEntity: query },
          onclick: async () => {
            try {
              const created = await api("POST", "/api/entities/", { name: query, type: entityType || "person" });
              entities.set(created.id, created);
              choose(created);
            } catch (error) {
              failed(error, "Entity not created");
            }
          },
        })),
      );
    } catch (error) {
      failed(error, "Search failed");
    }
  };
  search.addEventListener("input", debounce(run, 200));
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
  if (fallbackQuery) search.value = fallbackQuery;
  const clear = el("button", { type: "button", className: "small", textContent: "Unlink", onclick: () => choose(null) });
  return el("div", { className: "entity-picker" }, hidden, el("div", {}, "Linked: ", current, " ", clear), search, results);
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function speakerChoices(currentSpeaker) {
  // Entity spans of this article, one option per distinct text, so the speaker is one click.
  const seen = new Map();
  for (const a of [...annotations.values()].sort(outerFirst)) {
    if (a.kind === "entity" && labels.get(a.label)?.entity_type === "person" && !seen.has(a.quote)) seen.set(a.quote, a);
  }
  const options = [["", "— pick a person tagged in this article —"]];
  for (const [quote, a] of seen) options.push([`span:${a.id}`, quote + (a.attributes.entity ? "" : " (not linked yet)")]);
  const chosen = [...seen.values()].find((a) => currentSpeaker && a.attributes.entity === currentSpeaker);
  return select_("speaker_span", options, chosen ? `span:${chosen.id}` : "");
}

async function linkSpanToEntity(span) {
  // A person span without a canonical entity gets one named after its text, so the speaker is
  // the same person in every article from now on.
  if (span.attributes.entity) return span.attributes.entity;
  const type = labels.get(span.label)?.entity_type || "person";
  const found = (await searchEntities(span.quote)).find((e) => e.name === span.quote || (e.aliases || []).includes(span.quote));
  const entity = found || (await api("POST", "/api/entities/", { name: span.quote, type }));
  entities.set(entity.id, entity);
  const saved = await patchAnnotation(span, { attributes: { ...span.attributes, entity: entity.id } }, { record: false });
  return saved ? entity.id : null;
}

function attributeFields(a) {
  const attrs = a.attributes || {};
  if (a.kind === "quote") {
    return [
      field("Speaker in this article", speakerChoices(attrs.speaker)),
      field("Or a known entity", entityPicker("speaker", attrs.speaker, "", "person")),
      field("Or a name", el("input", { name: "speaker_name", value: attrs.speaker_name || "", dir: "auto" })),
      field("Attribution", select_("attribution", [["direct", "Direct"], ["indirect", "Indirect"], ["paraphrase", "Paraphrase"]], attrs.attribution || "direct")),
    ];
  }
  if (a.kind === "claim") {
    return [
      field("Check-worthiness", select_("check_worthiness", [["", "—"], ["high", "High"], ["medium", "Medium"], ["low", "Low"], ["none", "Not check-worthy"]], attrs.check_worthiness)),
      field("Fact-check", select_("fact_check_state", [["unchecked", "Unchecked"], ["checking", "Checking"], ["checked", "Checked"]], attrs.fact_check_state || "unchecked")),
      field("Verdict", select_("verdict", [["", "—"], ["true", "True"], ["mostly_true", "Mostly true"], ["half_true", "Half true"], ["mostly_false", "Mostly false"], ["false", "False"], ["misleading", "Misleading"], ["unproven", "Unproven"]], attrs.verdict)),
      field("Verdict note", el("textarea", { name: "verdict_note", rows: 3, value: attrs.verdict_note || "", dir: "auto" })),
      field("Sources (one URL a line)", el("textarea", { name: "sources", rows: 2, value: (attrs.sources || []).join("\n") })),
    ];
  }
  return [field("Canonical entity", entityPicker("entity", attrs.entity, attrs.entity ? "" : a.quote, labels.get(a.label)?.entity_type))];
}

async function readAttributes(a, form) {
  const get = (name) => form.elements[name]?.value ?? "";
  if (a.kind === "quote") {
    let speaker = get("speaker") ? Number(get("speaker")) : null;
    const spanChoice = get("speaker_span");
    if (spanChoice && (!speaker || speaker === a.attributes.speaker)) {
      const span = annotations.get(Number(spanChoice.slice(5)));
      if (span) speaker = await linkSpanToEntity(span);
    }
    return { speaker, speaker_name: get("speaker_name"), attribution: get("attribution") };
  }
  if (a.kind === "claim") {
    const sources = get("sources").split("\n").map((s) => s.trim()).filter(Boolean);
    const out = { fact_check_state: get("fact_check_state"), verdict_note: get("verdict_note"), sources };
    if (get("check_worthiness")) out.check_worthiness = get("check_worthiness");
    if (get("verdict")) out.verdict = get("verdict");
    return out;
  }
  return { entity: get("entity") ? Number(get("entity")) : null };
}

async function linkSpeakerRelation(quote) {
  // The quote's speaker, when it is a span of this article, is also a spoken_by relation, so
  // exports (brat R lines, JSON Lines relations) carry the link between the two spans.
  const speaker = quote.attributes.speaker;
  if (!speaker) return;
  const span = [...annotations.values()].find((x) => x.kind === "entity" && x.attributes.entity === speaker);
  if (!span) return;
  try {
    await api("POST", "/api/relations/", { source: quote.id, target: span.id, type: "spoken_by" });
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 400)) failed(error, "Speaker link not saved");
  }
}

function showEditor() {
  const a = annotations.get(state.selectedId);
  if (!a) {
    editorEl.hidden = true;
    editorEl.replaceChildren();
    return;
  }
  const label = labels.get(a.label);
  const temp = String(a.id).startsWith("tmp-");
  const form = el("form", { className: "editor-form", dataset: { editorFor: a.id } });
  const labelSelect = select_("label", page.labels.map((l) => [l.slug, l.name]), a.label);
  labelSelect.addEventListener("change", () => patchAnnotation(a, { label: labelSelect.value }));
  form.append(
    el("h2", {}, el("span", { className: "chip", style: { "--label-color": label?.color || "#888" }, textContent: label?.name || a.label }), ` ${a.status}`),
    el("blockquote", { dir: "auto", textContent: a.quote }),
    isOrphaned(a)
      ? el("p", { className: "repair", textContent: "This text is no longer in the article. Select where it belongs now and press “Move to selection”, or delete the tag." })
      : null,
    el("p", { className: "muted", textContent: `Characters ${a.start}–${a.end} · by ${a.author}${a.reviewer ? ` · reviewed by ${a.reviewer}` : ""}${a.review_note ? ` (“${a.review_note}”)` : ""}` }),
    field("Label", labelSelect),
    ...attributeFields(a),
  );
  const actions = el("div", { className: "editor-actions" },
    el("button", { type: "submit", textContent: "Save", disabled: temp }),
    el("button", { type: "button", textContent: "Move to selection (r)", disabled: temp, onclick: () => moveToSelection(a) }),
    el("button", { type: "button", className: "danger", textContent: "Delete", disabled: temp, onclick: () => deleteAnnotation(a) }),
  );
  if (a.status === "suggested") {
    actions.prepend(
      el("button", { type: "button", textContent: "Accept (a)", dataset: { accept: a.id }, onclick: () => review(a, true) }),
      el("button", { type: "button", textContent: "Reject (x)", dataset: { reject: a.id }, onclick: () => review(a, false) }),
    );
  }
  form.append(actions);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let attributes;
    try {
      attributes = await readAttributes(a, form);
    } catch (error) {
      return failed(error, "Not saved");
    }
    const saved = await patchAnnotation(annotations.get(a.id) || a, { attributes });
    if (saved) {
      if (saved.kind === "quote") await linkSpeakerRelation(saved);
      toast("Saved.");
    }
  });
  editorEl.replaceChildren(form);
  editorEl.hidden = false;
}

async function moveToSelection(a) {
  const span = selectedSpan();
  if (!span) return toast("Select the new extent in the text first.", "error");
  window.getSelection().removeAllRanges();
  await patchAnnotation(a, { start: span.start, end: span.end, quote: span.quote });
}

// --- Live updates ---------------------------------------------------------------------------

async function poll() {
  if (document.hidden) return;
  try {
    // Every page of changes (a colleague's bulk run can make thousands at once), then the
    // new high-water mark: pages come in text order, not in time order.
    let url = `/api/annotations/?article=${page.article.id}&include_deleted=true&page_size=1000&updated_after=${encodeURIComponent(state.lastSync)}`;
    let newest = state.lastSync;
    const changed = [];
    const removed = [];
    while (url) {
      const data = await api("GET", url);
      for (const a of data.results) {
        if (a.updated_at > newest) newest = a.updated_at;
        const mine = annotations.get(a.id);
        if (a.deleted) removed.push(a.id);
        else if (!mine || mine.version < a.version) {
          if (mine && a.id === state.selectedId && mine.version < a.version && a.author !== page.user.username) {
            toast(`This annotation was just changed by someone else; showing their version.`, "info");
          }
          changed.push(a);
        }
      }
      url = data.next;
    }
    apply(changed, removed);
    state.lastSync = newest;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) toast(error.message, "error");
  }
}

// --- Events ---------------------------------------------------------------------------------

function typing(target) {
  return target.closest && target.closest("input, textarea, select, [data-editor] form");
}

document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    if (helpDialog.open) return;
    window.getSelection().removeAllRanges();
    select(null);
    return;
  }
  if (typing(event.target) || event.altKey || event.metaKey) return;
  const a = annotations.get(state.selectedId);
  if ((event.ctrlKey && event.key.toLowerCase() === "z") || (!event.ctrlKey && event.key === "u")) {
    event.preventDefault();
    undo();
    return;
  }
  if (event.ctrlKey) return;
  if (event.key === "?") {
    event.preventDefault();
    helpDialog.showModal();
    return;
  }
  const span = selectedSpan();
  const label = labelByKey.get(event.key.toLowerCase());
  if (label && span) {
    event.preventDefault();
    createAnnotation(label.slug);
    return;
  }
  if (label && a && !span) {
    event.preventDefault();
    if (a.label !== label.slug) patchAnnotation(a, { label: label.slug });
    return;
  }
  switch (event.key) {
    case "j":
      event.preventDefault();
      step(1);
      break;
    case "k":
      event.preventDefault();
      step(-1);
      break;
    case "r":
      if (a) {
        event.preventDefault();
        moveToSelection(a);
      }
      break;
    case "a":
      if (a && a.status === "suggested") {
        event.preventDefault();
        review(a, true);
      }
      break;
    case "x":
      if (a && a.status === "suggested") {
        event.preventDefault();
        review(a, false);
      }
      break;
    case "Enter":
      if (a) {
        event.preventDefault();
        editorEl.querySelector("select, input, textarea")?.focus();
      }
      break;
    case "Delete":
    case "Backspace":
      if (a && !span) {
        event.preventDefault();
        deleteAnnotation(a);
      } else if (event.target === textEl) event.preventDefault();
      break;
    default:
      // The text is contenteditable only to get a caret for shift+arrow selection: nothing
      // typed may change it.
      if (event.target === textEl && event.key.length === 1) event.preventDefault();
  }
});

for (const type of ["beforeinput", "paste", "drop", "cut"]) textEl.addEventListener(type, (event) => event.preventDefault());

panelList.addEventListener("click", (event) => {
  const item = event.target.closest("[data-panel-id]");
  if (!item) return;
  const id = item.dataset.panelId;
  select(annotations.has(Number(id)) ? Number(id) : id, { scroll: true });
});

textEl.addEventListener("click", (event) => {
  if (!window.getSelection().isCollapsed) return;
  const marks = [];
  for (let node = event.target; node && node !== textEl; node = node.parentElement) if (node.matches("mark")) marks.push(node);
  if (!marks.length) return select(null);
  // Clicking again where spans nest cycles from the innermost outwards.
  const ids = marks.map((m) => m.dataset.annotationId);
  const at = ids.indexOf(String(state.selectedId));
  const next = ids[(at + 1) % ids.length];
  select(annotations.has(Number(next)) ? Number(next) : next);
});

for (const button of root.querySelectorAll("[data-label]")) {
  button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
  button.addEventListener("click", () => {
    if (selectedSpan()) createAnnotation(button.dataset.label);
    else if (annotations.get(state.selectedId)) patchAnnotation(annotations.get(state.selectedId), { label: button.dataset.label });
    else toast("Select some text first, then pick a label.", "error");
  });
}

function readFilters() {
  const f = state.filters;
  f.kinds = new Set([...root.querySelectorAll("[data-filter-kind]")].filter((c) => c.checked).map((c) => c.dataset.filterKind));
  f.status = root.querySelector("[data-filter-status]").value;
  f.label = root.querySelector("[data-filter-label]").value;
  renderAll();
  renderPanel();
  if (state.selectedId && !isVisible(annotations.get(state.selectedId) || {})) select(null);
}
for (const control of root.querySelectorAll("[data-filter-kind], [data-filter-status], [data-filter-label]")) control.addEventListener("change", readFilters);

const snap = root.querySelector("[data-snap-words]");
snap.checked = state.snapWords;
snap.addEventListener("change", () => {
  state.snapWords = snap.checked;
  localStorage.setItem("newsdesk.snapWords", snap.checked ? "1" : "0");
});

root.querySelector("[data-help]").addEventListener("click", () => helpDialog.showModal());

root.querySelector("[data-suggest]").addEventListener("click", async () => {
  try {
    const created = await api("POST", `/api/articles/${page.article.id}/suggest/`);
    apply(created, []);
    toast(created.length ? `${created.length} suggestion(s) added, shown dashed.` : "No new suggestions.");
  } catch (error) {
    failed(error, "Suggestions failed");
  }
});

for (const button of root.querySelectorAll("[data-move-status]")) {
  button.addEventListener("click", async () => {
    try {
      await api("POST", `/api/articles/${page.article.id}/status/`, { status: button.dataset.moveStatus });
      window.location.reload();
    } catch (error) {
      failed(error, "Status not changed");
    }
  });
}

// --- Start ----------------------------------------------------------------------------------

// Same request as the page's <link rel=preload>, so it is answered from that.
const feed = await fetch(page.annotations_url, { credentials: "include" });
if (!feed.ok) toast(`The annotations could not be loaded (${feed.status}); reload the page.`, "error");
performance.mark("newsdesk:feed");
for (const a of feed.ok ? await feed.json() : []) {
  withUtf16(a);
  annotations.set(a.id, a);
  indexAnnotation(a);
}
textEl.contentEditable = page.user.can_annotate ? "true" : "false";
textEl.spellcheck = false;
textEl.setAttribute("inputmode", "none");
performance.mark("newsdesk:indexed");
renderAll();
performance.mark("newsdesk:text");
// The text with its highlights is painted first; the side panel is built in the next task,
// and the page says it is ready once both are there.
requestAnimationFrame(() =>
  setTimeout(() => {
    performance.mark("newsdesk:painted");
    renderPanel();
    performance.mark("newsdesk:panel");
    textEl.dataset.ready = "true";
    const deepLink = window.location.hash.match(/^#annotation-(\d+)$/);
    if (deepLink && annotations.has(Number(deepLink[1]))) select(Number(deepLink[1]), { scroll: true });
  }),
);
setInterval(poll, page.poll_ms);
