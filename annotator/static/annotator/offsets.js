// The server counts Unicode code points; the DOM counts UTF-16 code units. A character above
// U+FFFF (emoji, many flags' halves, historic scripts) is one code point but two units, so
// every offset crosses this boundary through here.

function lowerBound(sorted, value) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class OffsetIndex {
  constructor(text) {
    this.length = text.length;
    this.astralUnits = []; // UTF-16 index of each surrogate pair's first unit
    this.astralPoints = []; // the code point index of the same characters
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) {
          this.astralPoints.push(i - this.astralUnits.length);
          this.astralUnits.push(i);
          i++;
        }
      }
    }
  }

  toUtf16(codePoint) {
    return codePoint + lowerBound(this.astralPoints, codePoint);
  }

  toCodePoint(unit) {
    return unit - lowerBound(this.astralUnits, unit);
  }

  // A UTF-16 offset between the two halves of a pair is moved outwards, so a span never cuts
  // a character in two.
  clamp(unit, direction) {
    const k = lowerBound(this.astralUnits, unit);
    if (k > 0 && this.astralUnits[k - 1] + 1 === unit) return direction < 0 ? unit - 1 : unit + 1;
    return unit;
  }
}
