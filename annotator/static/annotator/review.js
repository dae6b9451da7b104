// The review queue page: j/k move between undecided items, Space picks, a approves, r rejects
// with a reason from the desk's list (settings.REVIEW_REJECT_REASONS) or the reviewer's words;
// with items picked, a and r act on all of them. Keys come from keymap.js; the cursor rules from
// queue.js. A user who is not a reviewer gets j/k and nothing that writes.

import { api, ApiError } from "./api.js";
import { Announcer } from "./announce.js";
import { REVIEW_KEYS, buildKeymap, keyName, resolve } from "./keymap.js";
import { nextUndecided, rejectNote, stepUndecided, targets } from "./queue.js";

const data = JSON.parse(document.getElementById("review-data").textContent);
const list = document.querySelector("[data-review-list]");
const announcer = new Announcer(document.querySelector("[data-toast]"));
const keymap = buildKeymap(REVIEW_KEYS, [], (need) => need !== "review" || data.can_review);
const items = new Map([...list.querySelectorAll(".review-item")].map((item) => [Number(item.dataset.annotationId), item]));
const ids = [...items.keys()];
const decided = new Set();
let current = ids[0] ?? null;

function picked() {
  return new Set(ids.filter((id) => items.get(id).querySelector("[data-pick]")?.checked));
}

function moveTo(id, { focus = true } = {}) {
  for (const item of items.values()) item.classList.remove("current");
  current = id;
  const item = items.get(id);
  if (!item) return;
  item.classList.add("current");
  if (focus) item.focus();
}

// --- The reject form ------------------------------------------------------------------------

const dialog = document.querySelector("[data-reject-dialog]");
if (dialog) {
  const box = dialog.querySelector("[data-reject-reasons]");
  data.reject_reasons.forEach((reason, i) => {
    const label = document.createElement("label");
    const radio = Object.assign(document.createElement("input"), { type: "radio", name: "reason", value: reason, checked: i === 0 });
    label.append(radio, ` ${reason}`);
    box.append(label);
  });
}

// Resolves to the note, or null when the reviewer cancels.
function askReason(count) {
  return new Promise((resolveNote) => {
    const form = dialog.querySelector("[data-reject-form]");
    const error = dialog.querySelector("[data-reject-error]");
    dialog.querySelector("[data-reject-title]").textContent = count > 1 ? `Why reject these ${count} tags?` : "Why reject this tag?";
    error.hidden = true;
    form.elements.note.value = "";
    const onSubmit = (event) => {
      const button = event.submitter;
      if (button?.value === "cancel") return;
      const note = rejectNote(form.elements.reason.value, form.elements.note.value);
      if (!note) {
        event.preventDefault();
        error.hidden = false;
        return;
      }
      dialog.dataset.note = note;
    };
    form.addEventListener("submit", onSubmit);
    dialog.addEventListener(
      "close",
      () => {
        form.removeEventListener("submit", onSubmit);
        const note = dialog.returnValue === "reject" ? dialog.dataset.note : null;
        delete dialog.dataset.note;
        resolveNote(note || null);
      },
      { once: true },
    );
    dialog.returnValue = "";
    dialog.showModal();
  });
}

// --- Decisions ------------------------------------------------------------------------------

async function decide(approve) {
  const chosen = targets(ids, decided, picked(), current);
  if (!chosen.length) return announcer.say("Nothing left to review here.");
  let note = "";
  if (!approve) {
    note = await askReason(chosen.length);
    if (note === null) return moveTo(current);
  }
  let done = 0;
  for (const id of chosen) {
    const item = items.get(id);
    const result = item.querySelector("[data-result]");
    try {
      const saved = await api("POST", `/api/annotations/${id}/${approve ? "approve" : "reject"}/`, { note, version: Number(item.dataset.version) });
      decided.add(id);
      done++;
      // A finished item leaves the walk: no cursor, no tick, and its box cannot be picked again.
      item.classList.remove("current");
      item.classList.add("done", saved.status);
      const box = item.querySelector("[data-pick]");
      if (box) {
        box.checked = false;
        box.disabled = true;
      }
      result.className = `review-result ${saved.status}`;
      result.textContent = saved.status === "approved" ? "Approved." : `Rejected: ${saved.review_note}`;
    } catch (error) {
      result.className = "review-result error";
      result.textContent = error instanceof ApiError ? error.message : String(error);
    }
  }
  announcer.say(`${approve ? "Approved" : "Rejected"} ${done} of ${chosen.length}.`, { kind: done === chosen.length ? "info" : "error" });
  const next = nextUndecided(ids, decided, current);
  if (next !== null) moveTo(next);
  else announcer.say(`${approve ? "Approved" : "Rejected"} ${done} of ${chosen.length}. The queue on this page is done.`);
}

document.addEventListener("keydown", (event) => {
  if (dialog?.open) return;
  if (event.target.closest("input:not([data-pick]), textarea, select")) return;
  const binding = resolve(keymap, ["page"], keyName(event));
  if (!binding) {
    if (!data.can_review && ["a", "r"].includes(keyName(event))) announcer.say("Only reviewers approve or reject; you can read the queue.");
    return;
  }
  event.preventDefault();
  if (binding.action === "next" || binding.action === "previous") {
    const next = stepUndecided(ids, decided, current, binding.action === "next" ? 1 : -1);
    if (next !== null) moveTo(next);
  } else if (binding.action === "pick") {
    const box = items.get(current)?.querySelector("[data-pick]");
    if (box && !box.disabled) box.checked = !box.checked;
  } else if (binding.action === "approve") decide(true);
  else if (binding.action === "reject") decide(false);
});

for (const item of items.values()) item.addEventListener("click", (event) => !event.target.closest("a, input") && moveTo(Number(item.dataset.annotationId), { focus: false }));
for (const button of document.querySelectorAll("[data-review-selected]")) {
  button.addEventListener("click", () => decide(button.dataset.reviewSelected === "approve"));
}
if (current !== null) moveTo(current);
list.dataset.ready = "true";
