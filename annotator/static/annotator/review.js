// The review queue: j/k to move, space to select, a to approve, r to reject (with a reason);
// with items selected, a/r act on all of them.

import { api, ApiError } from "./api.js";

const list = document.querySelector("[data-review-list]");
const items = () => [...list.querySelectorAll(".review-item:not(.done)")];
let current = 0;

function focusItem(i) {
  const all = items();
  if (!all.length) return;
  current = Math.max(0, Math.min(i, all.length - 1));
  all.forEach((item, k) => item.classList.toggle("current", k === current));
  all[current].focus();
}

function targets() {
  const picked = items().filter((item) => item.querySelector("[data-pick]").checked);
  return picked.length ? picked : items().slice(current, current + 1);
}

async function decide(approve) {
  const chosen = targets();
  if (!chosen.length) return;
  let note = "";
  if (!approve) {
    note = window.prompt(`Why reject ${chosen.length > 1 ? `these ${chosen.length} annotations` : "this annotation"}?`) || "";
    if (!note.trim()) return;
  }
  for (const item of chosen) {
    const result = item.querySelector("[data-result]");
    try {
      const saved = await api("POST", `/api/annotations/${item.dataset.annotationId}/${approve ? "approve" : "reject"}/`, {
        note,
        version: Number(item.dataset.version),
      });
      item.classList.add("done", saved.status);
      result.textContent = saved.status === "approved" ? "Approved." : `Rejected: ${saved.review_note}`;
    } catch (error) {
      result.textContent = error instanceof ApiError ? error.message : String(error);
      result.classList.add("error");
    }
  }
  focusItem(current);
}

document.addEventListener("keydown", (event) => {
  if (event.target.closest("input:not([data-pick]), textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
  const all = items();
  if (event.key === "j") focusItem(current + 1);
  else if (event.key === "k") focusItem(current - 1);
  else if (event.key === " " && all[current]) {
    const box = all[current].querySelector("[data-pick]");
    box.checked = !box.checked;
  } else if (event.key === "a") decide(true);
  else if (event.key === "r") decide(false);
  else return;
  event.preventDefault();
});

for (const button of document.querySelectorAll("[data-review-selected]")) {
  button.addEventListener("click", () => decide(button.dataset.reviewSelected === "approve"));
}
focusItem(0);
list.dataset.ready = "true";
