// The page's annotations and its undo history. Pure: no DOM, no network, so node --test can
// check every rule here (tests/js/store.test.js).

export const KINDS = ["claim", "quote", "entity"];
const KIND_ORDER = { claim: 0, quote: 1, entity: 2 };

// Text order, outer span first where two start together, so nesting draws outside in and the
// panel and j/k walk the text the way it reads.
export function outerFirst(a, b) {
  return (
    a.s16 - b.s16 ||
    b.e16 - a.e16 ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    String(a.id).localeCompare(String(b.id))
  );
}

export function isTemporary(id) {
  return String(id).startsWith("tmp-");
}

export class AnnotationStore {
  // `index` converts the server's code point offsets to the DOM's UTF-16 units (offsets.js).
  constructor(index) {
    this.index = index;
    this.byId = new Map();
    this.order = null; // sorted array, rebuilt lazily after a change
    this.position = null; // id -> index in `order`
  }

  get size() {
    return this.byId.size;
  }

  get(id) {
    return this.byId.get(id);
  }

  has(id) {
    return this.byId.has(id);
  }

  values() {
    return this.byId.values();
  }

  // Changes are applied together (a colleague's bulk run can bring a thousand at once), and
  // the answer says what each one replaced, so the view redraws each place once.
  // Returns [[old or null, new or null], ...].
  apply(changed, removedIds = []) {
    const placed = [];
    for (const id of removedIds) {
      const old = this.byId.get(id);
      if (!old) continue;
      this.byId.delete(id);
      placed.push([old, null]);
    }
    for (const a of changed) {
      const old = this.byId.get(a.id) || null;
      a.s16 = this.index.toUtf16(a.start);
      a.e16 = this.index.toUtf16(a.end);
      this.byId.set(a.id, a);
      placed.push([old, a]);
    }
    if (placed.length) this.order = this.position = null;
    return placed;
  }

  upsert(a) {
    return this.apply([a], []);
  }

  remove(id) {
    return this.apply([], [id]);
  }

  sorted() {
    if (!this.order) {
      this.order = [...this.byId.values()].sort(outerFirst);
      this.position = new Map(this.order.map((a, i) => [a.id, i]));
    }
    return this.order;
  }

  // The next (direction 1) or previous (-1) annotation after `id` in text order that
  // `visible` accepts, wrapping around; from nothing, the first or the last. One pass at
  // most, no sort on a key press.
  neighbour(id, direction, visible = () => true) {
    const list = this.sorted();
    const n = list.length;
    if (!n) return null;
    const at = this.position.get(id);
    let i = at === undefined ? (direction > 0 ? 0 : n - 1) : at + direction;
    for (let step = 0; step < n; step++, i += direction) {
      const a = list[((i % n) + n) % n];
      if (visible(a)) return a;
    }
    return null;
  }
}

// Undo and redo as two stacks of steps. A step names one tag, the operation that undoes it and
// the one that does it again; the history knows the version this page last left each tag at,
// so a step is only replayed on the tag it names, and only while nobody else changed that tag
// since (stale()): an undo never reaches a tag outside its chain or overwrites a colleague.
//
// Operations: {type: "delete"} | {type: "restore"} | {type: "update", changes: {...}} |
//             {type: "accept"} | {type: "unaccept"}
export class History {
  constructor() {
    this.undoStack = [];
    this.redoStack = [];
    // The version each tag was left at by this page's own last step: undoing one step moves
    // the version on, and the steps below it must still count as current.
    this.known = new Map();
  }

  // A step the user just did: it can be undone; anything undone before can no longer be redone.
  record({ id, undo, redo, version = null, what }) {
    this.undoStack.push({ id, undo, redo, what });
    this.redoStack = [];
    this.left(id, version);
  }

  left(id, version) {
    if (version !== null && version !== undefined) this.known.set(id, version);
  }

  // Whether replaying `op` of `step` would act on something other than what this page left:
  // `current` is the tag as the page now holds it (undefined when deleted).
  stale(op, step, current) {
    if (op.type === "restore") return current !== undefined; // someone brought it back already
    return current === undefined || current.version !== this.known.get(step.id);
  }

  get canUndo() {
    return this.undoStack.length > 0;
  }

  get canRedo() {
    return this.redoStack.length > 0;
  }

  peekUndo() {
    return this.undoStack.at(-1) || null;
  }

  peekRedo() {
    return this.redoStack.at(-1) || null;
  }

  // The top step was undone; the tag is now at `version`.
  undone(version = null) {
    const step = this.undoStack.pop();
    if (step) {
      this.redoStack.push(step);
      this.left(step.id, version);
    }
    return step;
  }

  // The top redo step was done again; the tag is now at `version`.
  redone(version = null) {
    const step = this.redoStack.pop();
    if (step) {
      this.undoStack.push(step);
      this.left(step.id, version);
    }
    return step;
  }

  // The top step can no longer be replayed (someone else changed its tag): it is dropped,
  // and the steps under it stay.
  dropUndo() {
    return this.undoStack.pop() || null;
  }

  dropRedo() {
    return this.redoStack.pop() || null;
  }

  // Forget every step about a tag (it was deleted by someone else, say).
  forget(id) {
    this.undoStack = this.undoStack.filter((step) => step.id !== id);
    this.redoStack = this.redoStack.filter((step) => step.id !== id);
  }
}

// The inverse of an update: the fields as they were before, read from the tag before it.
export function updateInverse(before, changes) {
  const inverse = {};
  for (const key of Object.keys(changes)) {
    if (key === "quote") continue; // the server recomputes the quote from start and end
    inverse[key] = structuredClone(before[key]);
  }
  // A change of label to another kind starts the attributes afresh on the server, so putting
  // the label back must put the attributes back with it.
  if ("label" in changes && !("attributes" in inverse)) inverse.attributes = structuredClone(before.attributes || {});
  return inverse;
}
