// How one paragraph's highlights nest: the paragraph is cut wherever a span starts or ends, and
// each piece carries the spans covering it, outermost first. Spans that cross (neither holds
// the other) become fragments, each piece inside its outer spans. Pure (no DOM).

import { outerFirst } from "./store.js";

// `covering`: the annotations (with s16/e16) that overlap [start, end). Returns
// [{from, to, stack: [outermost ... innermost]}] covering the whole paragraph in order.
export function segments(start, end, covering) {
  const bounds = new Set([start, end]);
  for (const a of covering) {
    bounds.add(Math.max(a.s16, start));
    bounds.add(Math.min(a.e16, end));
  }
  const cuts = [...bounds].sort((x, y) => x - y);
  const sorted = [...covering].sort(outerFirst);
  const out = [];
  for (let k = 0; k < cuts.length - 1; k++) {
    const from = cuts[k];
    const to = cuts[k + 1];
    if (from >= to) continue;
    out.push({ from, to, stack: sorted.filter((a) => a.s16 <= from && a.e16 >= to) });
  }
  return out;
}

// Paragraphs as UTF-16 ranges [start, end) of the text, the "\n" excluded.
export function paragraphRanges(text) {
  const out = [];
  let start = 0;
  for (const line of text.split("\n")) {
    out.push({ start, end: start + line.length });
    start += line.length + 1;
  }
  return out;
}

// The index of the paragraph holding UTF-16 offset `unit` (binary search over the starts).
export function paragraphAt(starts, unit) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= unit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
