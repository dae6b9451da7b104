// The side panel: the page's tags grouped by kind, in text order, a row each (a quote shows its
// speaker, a claim its verdict, an entity its link). Built once, then kept in step row by row:
// rebuilding 5,000 rows on every tag would cost more than the tag. Rows are focusable (Tab
// reaches them; Enter or Space selects), and filters hide rows by class, as in the text.

import { KINDS, outerFirst } from "./store.js";
import { isOrphaned } from "./textview.js";

const KIND_NAMES = { claim: "Claims", quote: "Quotes", entity: "Entities" };

export function shorten(text, n = 80) {
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

function choiceName(choices, value) {
  return choices.find(([v]) => v === value)?.[1] || value;
}

export class Panel {
  constructor(root, { labels, entities, choices, selectedId }) {
    this.root = root;
    this.labels = labels;
    this.entities = entities;
    this.choices = choices;
    this.selectedId = selectedId;
    this.rows = new Map(); // id -> <li>
    this.groups = {}; // kind -> {list, heading, items (sorted)}
    // One row made by hand, then cloned: cheaper than building five elements per tag.
    this.template = document.createElement("li");
    this.template.className = "panel-item";
    this.template.tabIndex = 0;
    for (const name of ["chip", "panel-quote", "panel-detail", "badge"]) {
      const span = document.createElement("span");
      span.className = name;
      this.template.appendChild(span);
    }
  }

  describe(a) {
    if (isOrphaned(a)) return "needs repair: its text is no longer in the article";
    const attrs = a.attributes || {};
    if (a.kind === "quote") {
      const speaker = attrs.speaker ? this.entities.get(attrs.speaker)?.name : null;
      return speaker || attrs.speaker_name ? `— ${speaker || attrs.speaker_name}` : "no speaker yet";
    }
    if (a.kind === "claim") {
      if (attrs.verdict) return `verdict: ${choiceName(this.choices.verdicts, attrs.verdict).toLowerCase()}`;
      return `fact-check: ${choiceName(this.choices.fact_check_states, attrs.fact_check_state || "unchecked").toLowerCase()}`;
    }
    const linked = attrs.entity ? this.entities.get(attrs.entity) : null;
    return linked ? `→ ${linked.name}` : "not linked";
  }

  row(a) {
    const label = this.labels.get(a.label);
    const li = this.template.cloneNode(true);
    li.className = `panel-item status-${a.status}${isOrphaned(a) ? " orphaned" : ""}${a.id === this.selectedId() ? " selected" : ""}`;
    li.dataset.panelId = a.id;
    li.dataset.labelSlug = a.label;
    const [chip, quote, detail, badge] = li.children;
    chip.textContent = label?.name || a.label;
    chip.style.setProperty("--label-color", label?.color || "#767676");
    quote.textContent = shorten(a.quote);
    quote.dir = "auto";
    detail.textContent = this.describe(a);
    badge.textContent = choiceName(this.choices.statuses, a.status);
    badge.classList.add(`status-${a.status}`);
    return li;
  }

  build(sorted) {
    const byKind = Object.fromEntries(KINDS.map((k) => [k, []]));
    for (const a of sorted) byKind[a.kind].push(a);
    const fragment = document.createDocumentFragment();
    this.rows.clear();
    for (const kind of KINDS) {
      const list = document.createElement("ol");
      list.className = "panel-items";
      for (const a of byKind[kind]) {
        const li = this.row(a);
        this.rows.set(a.id, li);
        list.appendChild(li);
      }
      const heading = document.createElement("h2");
      heading.id = `panel-heading-${kind}`;
      list.setAttribute("aria-labelledby", heading.id);
      const section = document.createElement("section");
      section.className = `panel-group kind-${kind}`;
      section.append(heading, list);
      this.groups[kind] = { list, heading, items: byKind[kind] };
      this.count(kind);
      fragment.appendChild(section);
    }
    this.root.replaceChildren(fragment);
  }

  count(kind) {
    const group = this.groups[kind];
    if (group) group.heading.textContent = `${KIND_NAMES[kind]} (${group.items.length})`;
  }

  // A store change: `old` left its place, `a` takes its own (either may be null).
  place(old, a) {
    if (old) {
      const group = this.groups[old.kind];
      const at = group ? group.items.indexOf(old) : -1;
      if (at !== -1) group.items.splice(at, 1);
      const row = this.rows.get(old.id);
      const focused = row && row === document.activeElement;
      row?.remove();
      this.rows.delete(old.id);
      this.count(old.kind);
      if (focused && a) this.refocus = a.id;
    }
    if (a && this.groups[a.kind]) {
      const group = this.groups[a.kind];
      let lo = 0;
      let hi = group.items.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (outerFirst(group.items[mid], a) < 0) lo = mid + 1;
        else hi = mid;
      }
      group.items.splice(lo, 0, a);
      const li = this.row(a);
      this.rows.set(a.id, li);
      group.list.insertBefore(li, group.list.children[lo] || null);
      this.count(a.kind);
      // A row being edited keeps the keyboard focus when it is redrawn.
      if (this.refocus === a.id) {
        this.refocus = null;
        li.focus({ preventScroll: true });
      }
    }
  }

  setSelected(previous, id, { scroll = false } = {}) {
    if (previous != null) this.rows.get(previous)?.classList.remove("selected");
    const row = this.rows.get(id);
    if (row) {
      row.classList.add("selected");
      if (scroll) row.scrollIntoView({ block: "nearest" });
    }
  }
}
