// The review queue's cursor, as pure rules (tests/js/queue.test.js): after a decision it stays on
// the next item nobody has decided, never skipping one, and finished items leave the walk.

// `ids`: the queue in page order; `decided`: a Set of ids done; `from`: the id the cursor was on
// (or the last of the batch just decided). The first undecided item at or after `from`, else the
// last undecided one before it, else null.
export function nextUndecided(ids, decided, from) {
  const at = Math.max(0, ids.indexOf(from));
  for (let i = at; i < ids.length; i++) if (!decided.has(ids[i])) return ids[i];
  for (let i = at - 1; i >= 0; i--) if (!decided.has(ids[i])) return ids[i];
  return null;
}

// j/k: the neighbour among undecided items, staying put at either end.
export function stepUndecided(ids, decided, from, direction) {
  const open = ids.filter((id) => !decided.has(id));
  if (!open.length) return null;
  const at = open.indexOf(from);
  if (at === -1) return nextUndecided(ids, decided, from);
  return open[Math.max(0, Math.min(at + direction, open.length - 1))];
}

// What a/r act on: the picked items still undecided, else the current one.
export function targets(ids, decided, picked, current) {
  const chosen = ids.filter((id) => picked.has(id) && !decided.has(id));
  if (chosen.length) return chosen;
  return current != null && !decided.has(current) ? [current] : [];
}

// The note sent with a rejection: the preset reason, the reviewer's words, or both.
export function rejectNote(reason, words) {
  const a = (reason || "").trim();
  const b = (words || "").trim();
  if (a && b) return `${a}: ${b}`;
  return a || b;
}
