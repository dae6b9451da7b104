// The editor of the selected tag: its label and its kind's attributes (a quote's speaker and
// attribution, a claim's fact-check and verdict, an entity's canonical entity). Nothing is
// saved until Save (or Ctrl+Enter): changing the label dropdown only changes the form. A user
// who may not edit the tag sees what it says, without fields or buttons. On a phone the editor
// is a bottom sheet (app.css).

import { api } from "./api.js";
import { debounce, el, field, selectField } from "./dom.js";
import { isTemporary } from "./store.js";
import { isOrphaned } from "./textview.js";

function choiceName(choices, value) {
  return choices.find(([v]) => v === value)?.[1] || value;
}

export class Editor {
  constructor(root, { page, labels, entities, store, permissions, actions, say, onClose }) {
    this.root = root;
    this.page = page;
    this.choices = page.choices;
    this.labels = labels;
    this.entities = entities;
    this.store = store;
    this.permissions = permissions;
    this.actions = actions;
    this.say = say;
    this.onClose = onClose;
    this.current = null; // the tag shown
    this.dirty = false;
  }

  get open() {
    return !this.root.hidden;
  }

  hide() {
    this.current = null;
    this.dirty = false;
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  // Show `a`; a tag redrawn while the user has unsaved edits in the form keeps the form, and
  // says the tag changed underneath.
  show(a, { force = false } = {}) {
    if (!a) return this.hide();
    if (!force && this.dirty && this.current && this.current.id === a.id) {
      this.root.querySelector("[data-changed-note]")?.removeAttribute("hidden");
      this.current = a;
      return;
    }
    // The same version of the tag already shown: nothing to draw (and the keyboard stays put).
    if (!force && this.open && this.current && this.current.id === a.id && this.current.version === a.version && this.current.status === a.status) {
      this.current = a;
      return;
    }
    this.current = a;
    this.dirty = false;
    const editable = this.permissions.canEdit(a) && !isTemporary(a.id);
    this.root.replaceChildren(editable ? this.form(a) : this.summary(a));
    this.root.hidden = false;
  }

  focusFirst() {
    const target = this.root.querySelector("form select, form input:not([type=hidden]), form textarea") || this.root.querySelector(".editor-actions button, button");
    (target || this.root).focus();
  }

  submit() {
    this.root.querySelector("form")?.requestSubmit();
  }

  heading(a) {
    const label = this.labels.get(a.label);
    return el(
      "div",
      { className: "editor-head" },
      el(
        "h2",
        { id: "editor-heading" },
        el("span", { className: "chip", style: { "--label-color": label?.color || "#767676" }, textContent: label?.name || a.label }),
        " ",
        el("span", { className: `status status-${a.status}`, textContent: choiceName(this.choices.statuses, a.status) }),
      ),
      el("button", { type: "button", className: "close", textContent: "×", title: "Close (Escape)", attrs: { "aria-label": "Close the editor" }, onclick: () => this.onClose() }),
    );
  }

  meta(a) {
    const parts = [`Characters ${a.start}–${a.end}`, `by ${a.author}`];
    if (a.reviewer) parts.push(`reviewed by ${a.reviewer}${a.review_note ? ` (“${a.review_note}”)` : ""}`);
    return el("p", { className: "muted", textContent: parts.join(" · ") });
  }

  repairNote(a) {
    if (!isOrphaned(a)) return null;
    return el("p", {
      className: "repair",
      textContent: "This text is no longer in the article. Select where it belongs now and press “Move to selection”, or delete the tag.",
    });
  }

  // Read-only: what the tag says, for a user who may not change it.
  summary(a) {
    const attrs = a.attributes || {};
    const rows = [];
    if (a.kind === "quote") {
      const speaker = attrs.speaker ? this.entities.get(attrs.speaker)?.name : attrs.speaker_name;
      rows.push(["Speaker", speaker || "—"], ["Attribution", choiceName(this.choices.attribution_types, attrs.attribution || "direct")]);
    } else if (a.kind === "claim") {
      rows.push(
        ["Check-worthiness", attrs.check_worthiness ? choiceName(this.choices.check_worthiness, attrs.check_worthiness) : "—"],
        ["Fact-check", choiceName(this.choices.fact_check_states, attrs.fact_check_state || "unchecked")],
        ["Verdict", attrs.verdict ? choiceName(this.choices.verdicts, attrs.verdict) : "—"],
      );
      if (attrs.verdict_note) rows.push(["Verdict note", attrs.verdict_note]);
    } else {
      rows.push(["Canonical entity", attrs.entity ? this.entities.get(attrs.entity)?.name || `#${attrs.entity}` : "not linked"]);
    }
    const list = el("dl", { className: "details" });
    for (const [term, value] of rows) list.append(el("dt", { textContent: term }), el("dd", { textContent: value, dir: "auto" }));
    const actions = el("div", { className: "editor-actions" });
    if (a.status === "suggested" && this.permissions.canAccept(a)) {
      actions.append(el("button", { type: "button", textContent: "Accept (a)", dataset: { accept: a.id }, onclick: () => this.actions.accept(a) }));
    }
    const why = isTemporary(a.id) ? "Saving…" : this.permissions.annotate ? "You can change only your own pending tags." : "You can read this article's tags; you cannot change them.";
    return el(
      "section",
      { className: "editor-form", attrs: { "aria-labelledby": "editor-heading" } },
      this.heading(a),
      el("blockquote", { dir: "auto", textContent: a.quote }),
      this.repairNote(a),
      this.meta(a),
      list,
      actions.childElementCount ? actions : null,
      el("p", { className: "muted", textContent: why }),
    );
  }

  form(a) {
    const form = el("form", { className: "editor-form", dataset: { editorFor: a.id }, attrs: { "aria-labelledby": "editor-heading" } });
    const labelSelect = selectField("label", this.page.labels.map((l) => [l.slug, l.name]), a.label);
    const kindOf = (slug) => this.labels.get(slug)?.kind;
    const fields = el("div", { className: "kind-fields" }, ...this.attributeFields(a));
    const kindNote = el("p", { className: "hint", hidden: true, textContent: "" });
    labelSelect.addEventListener("change", () => {
      // Another kind has other details: they are asked for after the new label is saved.
      const other = kindOf(labelSelect.value) !== a.kind;
      fields.hidden = other;
      kindNote.hidden = !other;
      kindNote.textContent = other ? `Saving makes this a ${this.labels.get(labelSelect.value)?.name}; its details start afresh.` : "";
    });
    form.addEventListener("input", () => (this.dirty = true));
    form.addEventListener("change", () => (this.dirty = true));
    const actions = el(
      "div",
      { className: "editor-actions" },
      el("button", { type: "submit", className: "primary", textContent: "Save", title: "Ctrl+Enter" }),
      el("button", { type: "button", textContent: "Move to selection (r)", onclick: () => this.actions.move(a) }),
      el("button", { type: "button", className: "danger", textContent: a.status === "suggested" ? "Reject" : "Delete", onclick: () => this.actions.remove(this.store.get(a.id) || a) }),
    );
    if (a.status === "suggested") {
      if (this.permissions.canAccept(a)) {
        actions.prepend(el("button", { type: "button", textContent: "Accept (a)", dataset: { accept: a.id }, onclick: () => this.actions.accept(this.store.get(a.id) || a) }));
      }
      actions.querySelector(".danger").dataset.reject = a.id;
      actions.querySelector(".danger").textContent = "Reject (x)";
    }
    // (append() would write a null as the text "null": only real nodes go in.)
    const parts = [
      this.heading(a),
      el("blockquote", { dir: "auto", textContent: a.quote }),
      this.repairNote(a),
      this.meta(a),
      el("p", { className: "notice", hidden: true, dataset: { changedNote: "" }, textContent: "Someone else changed this tag while you were editing; saving will tell you if your change still applies." }),
      field("Label", labelSelect),
      kindNote,
      fields,
      actions,
    ];
    form.append(...parts.filter(Boolean));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const current = this.store.get(a.id) || a;
      const changes = {};
      if (labelSelect.value !== current.label) changes.label = labelSelect.value;
      if (kindOf(labelSelect.value) === current.kind) {
        try {
          changes.attributes = await this.readAttributes(current, form);
        } catch (error) {
          return this.say(`Not saved: ${error.message}`, { kind: "error" });
        }
      }
      const after = (saved) => saved.kind === "quote" && this.actions.linkSpeaker(saved);
      const saved = await this.actions.update(current, changes, { what: "Saved", after });
      if (saved) {
        this.dirty = false;
        // The form is drawn again from what was saved; the keyboard stays on the same control.
        const focused = this.root.contains(document.activeElement) ? document.activeElement.name || "" : null;
        this.show(this.store.get(saved.id) || saved, { force: true });
        if (focused !== null) (this.root.querySelector(focused ? `[name="${focused}"]` : "button[type=submit]") || this.root.querySelector("button[type=submit]"))?.focus();
      }
    });
    return form;
  }

  attributeFields(a) {
    const attrs = a.attributes || {};
    const c = this.choices;
    if (a.kind === "quote") {
      return [
        field("Speaker in this article", this.speakerChoices(attrs.speaker)),
        field("Or a known entity", this.entityPicker("speaker", attrs.speaker, "", "person")),
        field("Or a name", el("input", { name: "speaker_name", value: attrs.speaker_name || "", dir: "auto" })),
        field("Attribution", selectField("attribution", c.attribution_types, attrs.attribution || "direct")),
      ];
    }
    if (a.kind === "claim") {
      const state = selectField("fact_check_state", c.fact_check_states, attrs.fact_check_state || "unchecked");
      const verdict = selectField("verdict", [["", "—"], ...c.verdicts], attrs.verdict);
      // A verdict is the outcome of a check: it is offered once the check is done, and taken
      // away when the state goes back.
      const sync = () => {
        const done = state.value === c.verdict_needs_state;
        verdict.disabled = !done;
        if (!done) verdict.value = "";
      };
      state.addEventListener("change", sync);
      sync();
      const needs = choiceName(c.fact_check_states, c.verdict_needs_state);
      return [
        field("Check-worthiness", selectField("check_worthiness", [["", "—"], ...c.check_worthiness], attrs.check_worthiness)),
        field("Fact-check", state),
        field("Verdict", verdict, `A verdict needs the fact-check to be “${needs}”.`),
        field("Verdict note", el("textarea", { name: "verdict_note", rows: 3, value: attrs.verdict_note || "", dir: "auto" })),
        field("Sources (one URL a line)", el("textarea", { name: "sources", rows: 2, value: (attrs.sources || []).join("\n") })),
      ];
    }
    const label = this.labels.get(a.label);
    return [field("Canonical entity", this.entityPicker("entity", attrs.entity, attrs.entity ? "" : a.quote, label?.entity_type))];
  }

  speakerChoices(currentSpeaker) {
    // The person spans of this article, one option per distinct text, so the speaker is one pick.
    const seen = new Map();
    for (const a of this.store.sorted()) {
      if (a.kind === "entity" && this.labels.get(a.label)?.entity_type === "person" && !seen.has(a.quote)) seen.set(a.quote, a);
    }
    const options = [["", "— pick a person tagged in this article —"]];
    for (const [quote, a] of seen) options.push([`span:${a.id}`, quote + (a.attributes.entity ? "" : " (not linked yet)")]);
    const chosen = [...seen.values()].find((a) => currentSpeaker && a.attributes.entity === currentSpeaker);
    return selectField("speaker_span", options, chosen ? `span:${chosen.id}` : "");
  }

  async searchEntities(query) {
    const data = await api("GET", `/api/entities/?q=${encodeURIComponent(query)}&page_size=10`);
    for (const e of data.results) this.entities.set(e.id, e);
    return data.results;
  }

  entityPicker(name, currentId, prefill, entityType) {
    const hidden = el("input", { type: "hidden", name, value: currentId ?? "" });
    const current = el("span", { className: "entity-current", textContent: currentId ? this.entities.get(currentId)?.name || `#${currentId}` : "none" });
    const results = el("ul", { className: "entity-results", attrs: { "aria-live": "polite" } });
    const search = el("input", { type: "search", placeholder: "Search known entities", value: prefill || "", dataset: { entitySearch: name } });
    const choose = (entity) => {
      hidden.value = entity ? entity.id : "";
      current.textContent = entity ? entity.name : "none";
      results.replaceChildren();
      this.dirty = true;
    };
    const run = async () => {
      const query = search.value.trim();
      if (!query) return results.replaceChildren();
      try {
        const found = await this.searchEntities(query);
        if (search.value.trim() !== query) return; // typed on meanwhile
        results.replaceChildren(
          ...found.map((e) => el("li", {}, el("button", { type: "button", className: "link", textContent: `${e.name} (${e.type})`, onclick: () => choose(e) }))),
          el(
            "li",
            {},
            el("button", {
              type: "button",
              className: "link",
              textContent: `Create “${query}”`,
              dataset: { createEntity: query },
              onclick: async () => {
                try {
                  const created = await api("POST", "/api/entities/", { name: query, type: entityType || "person" });
                  this.entities.set(created.id, created);
                  choose(created);
                } catch (error) {
                  this.say(`Entity not created: ${error.message}`, { kind: "error" });
                }
              },
            }),
          ),
        );
      } catch (error) {
        this.say(`Search failed: ${error.message}`, { kind: "error" });
      }
    };
    search.addEventListener("input", debounce(run, 200));
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        run();
      }
    });
    // A box filled in for the user shows what it finds for that text without typing, once the
    // editor stays on this tag a moment (j/k walking past must not search at every step).
    if (prefill) {
      clearTimeout(this.prefillTimer);
      this.prefillTimer = setTimeout(() => search.isConnected && run(), 300);
    }
    const clear = el("button", { type: "button", className: "small", textContent: "Unlink", onclick: () => choose(null) });
    return el("div", { className: "entity-picker" }, search, hidden, el("div", {}, "Linked: ", current, " ", clear), results);
  }

  async readAttributes(a, form) {
    const get = (name) => form.elements[name]?.value ?? "";
    if (a.kind === "quote") {
      let speaker = get("speaker") ? Number(get("speaker")) : null;
      const spanChoice = get("speaker_span");
      if (spanChoice && (!speaker || speaker === a.attributes.speaker)) {
        const span = this.store.get(Number(spanChoice.slice(5)));
        if (span) speaker = await this.actions.linkSpanToEntity(span);
      }
      return { speaker, speaker_name: get("speaker_name"), attribution: get("attribution") };
    }
    if (a.kind === "claim") {
      const sources = get("sources").split("\n").map((s) => s.trim()).filter(Boolean);
      const out = { fact_check_state: get("fact_check_state"), verdict_note: get("verdict_note"), sources };
      if (get("check_worthiness")) out.check_worthiness = get("check_worthiness");
      if (get("verdict") && get("fact_check_state") === this.choices.verdict_needs_state) out.verdict = get("verdict");
      return out;
    }
    return { entity: get("entity") ? Number(get("entity")) : null };
  }
}
