// From a selection's UTF-16 offsets to the span that is saved: line breaks a triple click takes
// along dropped, optionally widened to whole words, never cutting a character (a surrogate pair)
// or a grapheme (a flag, an emoji with a skin tone or a ZWJ family, a letter with its accent).
// Pure (no DOM); the server counts code points, so both are given.

const WORD = /[\p{L}\p{N}\p{M}_'’-]/u;

export function trimLineBreaks(text, s, e) {
  while (e > s && text[e - 1] === "\n") e--;
  while (s < e && text[s] === "\n") s++;
  return [s, e];
}

export function snapToWords(text, s, e) {
  while (s > 0 && WORD.test(text[s - 1]) && WORD.test(text[s])) s--;
  while (e < text.length && WORD.test(text[e]) && WORD.test(text[e - 1])) e++;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  return [s, e];
}

const graphemes = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

// The grapheme boundary at or before (direction -1) or after (+1) `unit`. Only the text around
// it is segmented: a line break is always a boundary, and a 200,000-character text must not be
// walked for one offset.
export function graphemeBoundary(text, unit, direction) {
  if (unit <= 0 || unit >= text.length) return Math.max(0, Math.min(unit, text.length));
  if (!graphemes) return surrogateBoundary(text, unit, direction);
  // A window of the line is enough: clusters are short, and an edge of the window that is not
  // a true boundary lies far from `unit`.
  const from = Math.max(text.lastIndexOf("\n", unit - 1) + 1, unit - 64);
  let to = text.indexOf("\n", unit);
  if (to === -1) to = text.length;
  to = Math.min(to, unit + 64);
  let before = from;
  for (const { index } of graphemes.segment(text.slice(from, to))) {
    const at = from + index;
    if (at === unit) return unit;
    if (at > unit) return direction < 0 ? before : at;
    before = at;
  }
  return direction < 0 ? before : to;
}

function surrogateBoundary(text, unit, direction) {
  const high = text.charCodeAt(unit - 1);
  const low = text.charCodeAt(unit);
  const inside = high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
  return inside ? unit + (direction < 0 ? -1 : 1) : unit;
}

// The span to save for a selection from s to e (UTF-16), or null when nothing is left.
export function spanFromUnits(text, index, s, e, { snapWords = false } = {}) {
  if (s > e) [s, e] = [e, s];
  [s, e] = trimLineBreaks(text, s, e);
  if (snapWords) [s, e] = snapToWords(text, s, e);
  s = graphemeBoundary(text, s, -1);
  e = graphemeBoundary(text, e, 1);
  if (e <= s) return null;
  return { s16: s, e16: e, start: index.toCodePoint(s), end: index.toCodePoint(e), quote: text.slice(s, e) };
}
