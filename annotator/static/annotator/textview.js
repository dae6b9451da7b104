// The article text and its highlights. The text is drawn once per paragraph as text nodes (never
// as HTML); highlights are nested <mark> elements computed per paragraph (segments.js), so a
// change redraws only the paragraphs it touches. Every highlight stays in the DOM whatever the
// filters say (filters.js hides them with a class), and each tag's marks are kept in a map, so
// selecting one (j/k) touches its own marks and nothing else.

import { paragraphAt, paragraphRanges, segments } from "./segments.js";

// An orphaned span's offsets belong to a text that is gone: drawn, they would mark other words.
// It is listed in the panel until someone moves it to its words again (or deletes it).
export function isOrphaned(a) {
  return a.anchor_state === "orphaned";
}

export class TextView {
  constructor(root, text, { labels, selectedId }) {
    this.root = root;
    this.text = text;
    this.labels = labels;
    this.selectedId = selectedId; // () -> id
    this.paragraphs = paragraphRanges(text).map((p) => ({ ...p, el: null, ids: new Set(), drawn: new Set() }));
    this.starts = this.paragraphs.map((p) => p.start);
    this.marks = new Map(); // id -> Map(paragraph index -> [mark, ...])
    this.store = null;
  }

  range(a) {
    return [paragraphAt(this.starts, a.s16), paragraphAt(this.starts, Math.max(a.s16, a.e16 - 1))];
  }

  // Keep the paragraph -> tags index in step with a store change; returns the touched ranges.
  place(placed) {
    const ranges = [];
    for (const [old, a] of placed) {
      if (old) {
        const [first, last] = this.range(old);
        for (let i = first; i <= last; i++) this.paragraphs[i].ids.delete(old.id);
        ranges.push([first, last]);
      }
      if (a) {
        const [first, last] = this.range(a);
        for (let i = first; i <= last; i++) this.paragraphs[i].ids.add(a.id);
        ranges.push([first, last]);
      }
    }
    return ranges;
  }

  makeMark(a, depth) {
    const mark = document.createElement("mark");
    const label = this.labels.get(a.label);
    mark.className = `hl kind-${a.kind} status-${a.status}${a.id === this.selectedId() ? " selected" : ""}`;
    mark.dataset.annotationId = a.id;
    mark.dataset.labelSlug = a.label;
    mark.style.setProperty("--c", label ? label.color : "#767676");
    if (depth) mark.style.setProperty("--depth", depth);
    mark.title = `${label ? label.name : a.label} · ${a.status}`;
    return mark;
  }

  renderParagraph(i) {
    const p = this.paragraphs[i];
    for (const id of p.drawn) this.marks.get(id)?.delete(i);
    p.drawn = new Set();
    const el = document.createElement("span");
    el.className = "para";
    el.dir = "auto";
    el.dataset.start = p.start;
    const covering = [];
    for (const id of p.ids) {
      const a = this.store.get(id);
      if (a && !isOrphaned(a)) covering.push(a);
    }
    // Open marks as a stack from outermost to innermost; a piece whose stack differs closes
    // back to the common prefix and opens the rest.
    let stack = [];
    const parents = [el];
    for (const { from, to, stack: here } of segments(p.start, p.end, covering)) {
      let common = 0;
      while (common < stack.length && common < here.length && stack[common] === here[common]) common++;
      stack = stack.slice(0, common);
      parents.length = common + 1;
      for (let d = common; d < here.length; d++) {
        const a = here[d];
        const mark = this.makeMark(a, d);
        parents[parents.length - 1].appendChild(mark);
        parents.push(mark);
        stack.push(a);
        this.remember(a.id, i, mark);
        p.drawn.add(a.id);
      }
      parents[parents.length - 1].appendChild(document.createTextNode(this.text.slice(from, to)));
    }
    if (i < this.paragraphs.length - 1) el.appendChild(document.createTextNode("\n"));
    if (p.el) p.el.replaceWith(el);
    p.el = el;
    return el;
  }

  remember(id, i, mark) {
    let byParagraph = this.marks.get(id);
    if (!byParagraph) this.marks.set(id, (byParagraph = new Map()));
    const list = byParagraph.get(i);
    if (list) list.push(mark);
    else byParagraph.set(i, [mark]);
  }

  renderAll() {
    const fragment = document.createDocumentFragment();
    this.marks.clear();
    for (let i = 0; i < this.paragraphs.length; i++) {
      this.paragraphs[i].el = null;
      fragment.appendChild(this.renderParagraph(i));
    }
    this.root.replaceChildren(fragment);
  }

  rerender(ranges) {
    const done = new Set();
    for (const [first, last] of ranges) {
      for (let i = first; i <= last; i++) {
        if (!done.has(i)) {
          done.add(i);
          this.renderParagraph(i);
        }
      }
    }
  }

  marksOf(id) {
    const byParagraph = this.marks.get(id);
    return byParagraph ? [...byParagraph.values()].flat() : [];
  }

  setSelected(previous, id, { scroll = false } = {}) {
    if (previous != null) for (const mark of this.marksOf(previous)) mark.classList.remove("selected");
    if (id == null) return;
    const marks = this.marksOf(id);
    for (const mark of marks) mark.classList.add("selected");
    if (scroll && marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "instant" });
  }

  // A DOM position inside the text as a UTF-16 offset into the article's text.
  unitOffset(node, offset) {
    if (node === this.root) {
      if (offset >= this.root.childNodes.length) return this.text.length;
      return Number(this.root.childNodes[offset].dataset.start);
    }
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const para = element?.closest(".para");
    if (!para || !this.root.contains(para)) return null;
    const range = document.createRange();
    range.setStart(para, 0);
    range.setEnd(node, offset);
    return Number(para.dataset.start) + range.toString().length;
  }
}
