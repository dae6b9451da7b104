// What the user does to tags, through the API: tag, change, move, delete, accept, reject, and
// undo/redo of each. Every action records its exact inverse in the history (store.js) and says
// what it did in the live region, with Undo beside it.

import { api, ApiError } from "./api.js";
import { shorten } from "./panel.js";
import { isTemporary, updateInverse } from "./store.js";

const CONFLICT = "Someone else changed this tag first. Your change was not saved; their version is shown, so you can apply yours again.";

export class Actions {
  constructor({ page, store, history, labels, entities, permissions, apply, say, select, selectedSpan, clearTextSelection, undoKey, redoKey }) {
    this.page = page;
    this.store = store;
    this.history = history;
    this.labels = labels;
    this.entities = entities;
    this.permissions = permissions;
    this.apply = apply; // (changed, removedIds) -> void: store + view + panel + editor
    this.say = say;
    this.select = select;
    this.selectedSpan = selectedSpan;
    this.clearTextSelection = clearTextSelection;
    this.undoKey = undoKey;
    this.redoKey = redoKey;
    this.tempId = 0;
  }

  name(slug) {
    return this.labels.get(slug)?.name || slug;
  }

  done(what, step = true) {
    const hint = step ? ` Undo: ${this.undoKey}.` : "";
    this.say(`${what}.${hint}`, { undo: step ? () => this.undo() : null });
  }

  failed(error, what) {
    this.say(`${what}: ${error instanceof ApiError ? error.message : String(error)}`, { kind: "error" });
  }

  // After a 409 the page shows the tag as it now is (or drops it, if it is gone).
  async reload(id) {
    try {
      this.apply([await api("GET", `/api/annotations/${id}/`)], []);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) this.apply([], [id]);
    }
  }

  async create(labelSlug, span = this.selectedSpan()) {
    if (!this.permissions.annotate) return this.say("You cannot annotate this article.", { kind: "error" });
    if (!span) return this.say("Select some text first, then press a label key.", { kind: "error" });
    const label = this.labels.get(labelSlug);
    const tempId = `tmp-${++this.tempId}`;
    this.apply([{ id: tempId, label: labelSlug, kind: label.kind, start: span.start, end: span.end, quote: span.quote, attributes: {}, status: "pending", origin: "human", author: this.page.user.username, version: 0 }], []);
    this.clearTextSelection();
    this.select(tempId);
    try {
      const saved = await api("POST", "/api/annotations/", { article: this.page.article.id, label: labelSlug, start: span.start, end: span.end, quote: span.quote });
      this.apply([saved], [tempId]);
      this.select(saved.id);
      const what = `Tagged “${shorten(saved.quote, 40)}” as ${label.name}`;
      this.history.record({ id: saved.id, undo: { type: "delete" }, redo: { type: "restore" }, version: saved.version, what });
      this.done(what);
      return saved;
    } catch (error) {
      this.apply([], [tempId]);
      this.failed(error, "Not saved");
      return null;
    }
  }

  // PATCH `changes`; recorded unless `record` is false (a side step of another action).
  // `after(saved)` runs before the message (the editor links a quote's speaker there), so what
  // is announced is done.
  async update(a, changes, { what = null, record = true, after = null } = {}) {
    if (!Object.keys(changes).length) {
      this.say("Nothing to save: nothing was changed.");
      return a;
    }
    const before = this.store.get(a.id) || a;
    try {
      const saved = await api("PATCH", `/api/annotations/${a.id}/`, { version: before.version, ...changes });
      this.apply([saved], []);
      this.history.left(a.id, saved.version);
      if (after) await after(saved);
      if (record) {
        const text = what === "Saved" || !what ? this.describeUpdate(before, saved, changes) : what;
        this.history.record({ id: a.id, undo: { type: "update", changes: updateInverse(before, changes) }, redo: { type: "update", changes: structuredClone(changes) }, version: saved.version, what: text });
        this.done(text);
      }
      return saved;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        this.say(CONFLICT, { kind: "error" });
        await this.reload(a.id);
      } else this.failed(error, "Not saved");
      return null;
    }
  }

  describeUpdate(before, saved, changes) {
    const quote = `“${shorten(saved.quote, 40)}”`;
    if (changes.label && changes.label !== before.label) return `Relabelled ${quote} from ${this.name(before.label)} to ${this.name(saved.label)}`;
    if ("start" in changes || "end" in changes) return `Moved the ${this.name(saved.label)} tag to ${quote}`;
    return `Saved ${quote}`;
  }

  async move(a) {
    if (!a) return;
    const span = this.selectedSpan();
    if (!span) return this.say("Select the new extent in the text first, then press r.", { kind: "error" });
    this.clearTextSelection();
    return this.update(a, { start: span.start, end: span.end, quote: span.quote });
  }

  async remove(a, { record = true } = {}) {
    const suggestion = a.status === "suggested";
    try {
      await api("DELETE", `/api/annotations/${a.id}/?version=${a.version}`);
      this.apply([], [a.id]);
      const what = `${suggestion ? "Rejected the suggestion" : "Deleted the tag"} “${shorten(a.quote, 40)}” (${this.name(a.label)})`;
      if (record && this.permissions.canRestore(a)) {
        this.history.record({ id: a.id, undo: { type: "restore" }, redo: { type: "delete" }, version: null, what });
        this.done(what);
      } else if (record) {
        // The server restores a tag for its author or an editor only: no undo is offered.
        this.say(`${what}. Only its author or an editor can bring it back.`);
      }
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        this.say("Someone else changed this tag first; it was not deleted. Look at it again.", { kind: "error" });
        await this.reload(a.id);
      } else this.failed(error, suggestion ? "Not rejected" : "Not deleted");
      return false;
    }
  }

  async accept(a) {
    try {
      const saved = await api("POST", `/api/annotations/${a.id}/accept/`);
      this.apply([saved], []);
      const what = `Accepted the suggestion “${shorten(saved.quote, 40)}” as ${this.name(saved.label)}`;
      if (this.page.unaccept) {
        this.history.record({ id: a.id, undo: { type: "unaccept" }, redo: { type: "accept" }, version: saved.version, what });
        this.done(what);
      } else this.done(what, false);
      return saved;
    } catch (error) {
      this.failed(error, "Not accepted");
      return null;
    }
  }

  async reviewAll(labelSlug, accept) {
    const chosen = [...this.store.values()].filter((a) => a.status === "suggested" && a.label === labelSlug);
    let done = 0;
    for (const a of chosen) {
      if (accept ? await this.accept(a) : await this.remove(a)) done++;
    }
    this.say(`${accept ? "Accepted" : "Rejected"} ${done} of ${chosen.length} ${this.name(labelSlug)} suggestion(s). Each can be undone with ${this.undoKey}, last first.`);
  }

  // One operation of a history step, on tag `id`; answers the tag's version after it.
  async perform(op, id) {
    const current = this.store.get(id);
    if (op.type === "delete") {
      await api("DELETE", `/api/annotations/${id}/?version=${current.version}`);
      this.apply([], [id]);
      return null;
    }
    if (op.type === "restore") {
      const restored = await api("POST", `/api/annotations/${id}/restore/`);
      this.apply([restored], []);
      return restored.version;
    }
    if (op.type === "update") {
      const saved = await api("PATCH", `/api/annotations/${id}/`, { version: current.version, ...op.changes });
      this.apply([saved], []);
      return saved.version;
    }
    if (op.type === "accept" || op.type === "unaccept") {
      const saved = await api("POST", `/api/annotations/${id}/${op.type}/`, op.type === "unaccept" ? { version: current.version } : undefined);
      this.apply([saved], []);
      return saved.version;
    }
    throw new Error(`unknown operation ${op.type}`);
  }

  // Undo and redo run one at a time, in the order pressed: Ctrl+Z twice undoes two steps,
  // never the same step twice.
  undo() {
    return this.serial(() => this.replay("undo"));
  }

  redo() {
    return this.serial(() => this.replay("redo"));
  }

  serial(fn) {
    this.running = (this.running || Promise.resolve()).then(fn, fn);
    return this.running;
  }

  async replay(direction) {
    const undoing = direction === "undo";
    const step = undoing ? this.history.peekUndo() : this.history.peekRedo();
    if (!step) return this.say(undoing ? "Nothing to undo." : "Nothing to redo.");
    const op = undoing ? step.undo : step.redo;
    const current = this.store.get(step.id);
    if (this.history.stale(op, step, current)) {
      if (undoing) this.history.dropUndo();
      else this.history.dropRedo();
      return this.say(`Not ${undoing ? "undone" : "redone"}: someone else changed that tag since (${step.what}). Nothing was changed.`, { kind: "error" });
    }
    try {
      const version = await this.perform(op, step.id);
      if (undoing) this.history.undone(version);
      else this.history.redone(version);
      if (this.store.has(step.id)) this.select(step.id, { scroll: true });
      const key = undoing ? this.redoKey : this.undoKey;
      this.say(`${undoing ? "Undone" : "Redone"}: ${step.what}. ${undoing ? "Redo" : "Undo"}: ${key}.`, { undo: undoing ? null : () => this.undo() });
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 404 || error.status === 403)) {
        if (undoing) this.history.dropUndo();
        else this.history.dropRedo();
        const why = error.status === 403 ? error.message : "someone else changed that tag since";
        this.say(`Not ${undoing ? "undone" : "redone"}: ${why} (${step.what}). Nothing was changed.`, { kind: "error" });
        await this.reload(step.id);
      } else this.failed(error, undoing ? "Could not undo" : "Could not redo");
    }
  }

  async linkSpanToEntity(span) {
    // A person span without a canonical entity gets one named after its text, so the speaker is
    // the same person in every article from now on.
    if (span.attributes.entity) return span.attributes.entity;
    const type = this.labels.get(span.label)?.entity_type || "person";
    const data = await api("GET", `/api/entities/?q=${encodeURIComponent(span.quote)}&page_size=10`);
    const found = data.results.find((e) => e.name === span.quote || (e.aliases || []).includes(span.quote));
    const entity = found || (await api("POST", "/api/entities/", { name: span.quote, type }));
    this.entities.set(entity.id, entity);
    const saved = await this.update(span, { attributes: { ...span.attributes, entity: entity.id } }, { record: false });
    return saved ? entity.id : null;
  }

  async linkSpeaker(quote) {
    // The quote's speaker, when it is a span of this article, is also a spoken_by relation, so
    // exports (brat R lines, JSON Lines relations) carry the link between the two spans.
    const speaker = quote.attributes.speaker;
    if (!speaker) return;
    const span = [...this.store.values()].find((x) => x.kind === "entity" && x.attributes.entity === speaker && !isTemporary(x.id));
    if (!span) return;
    try {
      await api("POST", "/api/relations/", { source: quote.id, target: span.id, type: "spoken_by" });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 400)) this.failed(error, "Speaker link not saved");
    }
  }
}
