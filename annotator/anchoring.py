"""Text normalisation and span anchoring: the one place offsets are checked.

Offsets everywhere are Unicode code points (Python ``str`` indices), start inclusive, end
exclusive, as the W3C TextPositionSelector specifies. Browsers count UTF-16 code units, so the
helpers here convert between the two; a code point above U+FFFF is two UTF-16 units.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from articles.text import kept_bounds, normalize_text

CONTEXT_CHARS = 32

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class SpanError(ValueError):
    """A span that cannot be stored; the message says why, for a person to act on, and
    ``field`` names the input at fault."""

    def __init__(self, message: str, field: str = "start") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def make_span(text: str, start: int, end: int, quote: str | None = None) -> Span:
    """Validate ``(start, end)`` against ``text`` and compute quote, prefix and suffix.

    When the client sends the ``quote`` it saw, it must equal ``text[start:end]``: a mismatch
    means the client's copy of the text differs from ours, and storing the span would tag the
    wrong words.
    """
    if isinstance(start, bool) or isinstance(end, bool):
        raise SpanError("start and end must be integers.")
    if start < 0:
        raise SpanError(f"start ({start}) must be 0 or more.")
    if end <= start:
        raise SpanError(
            f"end ({end}) must be greater than start ({start}); empty spans are not allowed.", "end"
        )
    if end > len(text):
        raise SpanError(
            f"end ({end}) is past the end of the text ({len(text)} characters, counted in "
            "Unicode code points).",
            "end",
        )
    actual = text[start:end]
    if quote is not None and quote != actual:
        raise SpanError(
            f"quote does not match the text at {start}-{end}: sent {quote!r}, the text there is "
            f"{actual!r}. Offsets are Unicode code points into the stored text.",
            "quote",
        )
    return Span(
        start=start,
        end=end,
        quote=actual,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


class Utf16Index:
    """Converts offsets between code points and UTF-16 code units for one text.

    Built once per text in O(n); each conversion is then a binary search over the astral
    (non-BMP) characters, so exporting thousands of spans stays linear.
    """

    __slots__ = ("_astral", "_astral_utf16")

    def __init__(self, text: str) -> None:
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 position of each astral character: every earlier one added a unit.
        self._astral_utf16 = [pos + i for i, pos in enumerate(self._astral)]

    @property
    def is_identity(self) -> bool:
        """No character beyond the BMP: both units count alike."""
        return not self._astral

    def to_utf16(self, offset: int) -> int:
        if not self._astral:
            return offset
        return offset + bisect.bisect_left(self._astral, offset)

    def from_utf16(self, offset: int) -> int:
        if not self._astral:
            return offset
        before = bisect.bisect_left(self._astral_utf16, offset)
        # An offset one unit past an astral character's start falls between its surrogates.
        if before and self._astral_utf16[before - 1] + 1 == offset:
            raise SpanError(f"UTF-16 offset {offset} falls inside a surrogate pair.")
        return offset - before


# --- Mapping client offsets through normalisation -------------------------------------------


@lru_cache(maxsize=1)
def _composes_with_previous() -> frozenset[str]:
    """Characters that NFC may merge into the character before them.

    A normalisation segment can only start at a character outside this set with combining
    class 0; the set is the second halves of the canonical pairs plus the Hangul vowel and
    trailing jamo that compose algorithmically.
    """
    seconds = set()
    for cp in range(0x110000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(chr(int(parts[1], 16)))
    seconds.update(chr(cp) for cp in range(0x1161, 0x1176))  # Hangul V jamo
    seconds.update(chr(cp) for cp in range(0x11A8, 0x11C3))  # Hangul T jamo
    return frozenset(seconds)


def _segment_starts(text: str) -> list[int]:
    joiners = _composes_with_previous()
    starts = [0]
    for i in range(1, len(text)):
        char = text[i]
        if unicodedata.combining(char) == 0 and char not in joiners:
            starts.append(i)
    return starts


class OffsetMap:
    """Maps offsets computed on a client's raw text onto :func:`normalize_text` of it.

    Offsets that fall where normalisation merges or drops characters (between ``\\r`` and
    ``\\n``, inside a sequence NFC composes) have no exact image and are refused.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.text = normalize_text(raw)
        self._identity = self.text == raw
        self._map: list[int | None] | None = None if self._identity else self._build()

    def _build(self) -> list[int | None]:
        raw = self.raw
        # Pass 1: newline folding, offset by offset.
        folded_chars: list[str] = []
        raw_to_folded: list[int | None] = [None] * (len(raw) + 1)
        i = 0
        while i < len(raw):
            raw_to_folded[i] = len(folded_chars)
            if raw[i] == "\r":
                folded_chars.append("\n")
                if i + 1 < len(raw) and raw[i + 1] == "\n":
                    raw_to_folded[i + 1] = None
                    i += 2
                    continue
            else:
                folded_chars.append(raw[i])
            i += 1
        raw_to_folded[len(raw)] = len(folded_chars)
        folded = "".join(folded_chars)

        # Pass 2: NFC segment by segment; inside a segment NFC changed, offsets have no image.
        folded_to_nfc: list[int | None] = [None] * (len(folded) + 1)
        starts = _segment_starts(folded) + [len(folded)]
        out_len = 0
        for seg_start, seg_end in zip(starts, starts[1:], strict=False):
            segment = folded[seg_start:seg_end]
            composed = unicodedata.normalize("NFC", segment)
            folded_to_nfc[seg_start] = out_len
            if composed == segment:
                for k in range(seg_start + 1, seg_end):
                    folded_to_nfc[k] = out_len + (k - seg_start)
            out_len += len(composed)
        folded_to_nfc[len(folded)] = out_len
        nfc = unicodedata.normalize("NFC", folded)

        # Pass 3: outer BOMs and blank lines trimmed; offsets inside them clamp to the edges.
        lead, stop = kept_bounds(nfc)
        kept = stop - lead

        def trim(offset: int | None) -> int | None:
            if offset is None:
                return None
            return min(max(offset - lead, 0), kept)

        return [trim(None if f is None else folded_to_nfc[f]) for f in raw_to_folded]

    def map(self, offset: int) -> int:
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise SpanError(f"offset {offset!r} is not an integer.")
        if offset < 0 or offset > len(self.raw):
            raise SpanError(
                f"offset {offset} is outside the text as sent ({len(self.raw)} code points)."
            )
        if self._map is None:
            return offset
        mapped = self._map[offset]
        if mapped is None:
            raise SpanError(
                f"offset {offset} falls inside a character sequence that normalisation "
                "(CRLF folding or Unicode NFC) merges, so it has no exact position in the "
                "stored text; move it to the nearest character boundary."
            )
        return mapped

    def span(self, start: int, end: int, quote: str | None = None) -> Span:
        """Map a span sent against the raw text and anchor it on the normalised text.

        A sent ``quote`` is checked against the raw text, where the client computed it.
        """
        if (
            quote is not None
            and 0 <= start <= end <= len(self.raw)
            and self.raw[start:end] != quote
        ):
            raise SpanError(
                f"quote does not match the text as sent at {start}-{end}: sent {quote!r}, "
                f"the text there is {self.raw[start:end]!r}.",
                "quote",
            )
        return make_span(self.text, self.map(start), self.map(end))


def reanchor(
    text: str, *, start: int, end: int, quote: str, prefix: str, suffix: str
) -> tuple[Span, str] | None:
    """Find an annotation's quote in a new revision of the text.

    Returns the span and ``"anchored"`` when the quote is still at its offsets, ``"moved"``
    when it was found elsewhere (the occurrence whose surrounding context matches best, then
    the nearest), or None when the quote is gone (the caller marks it orphaned).
    """
    if text[start:end] == quote:
        return make_span(text, start, end), "anchored"
    candidates = []
    position = text.find(quote)
    while position != -1:
        before = text[max(0, position - len(prefix)) : position]
        after = text[position + len(quote) : position + len(quote) + len(suffix)]
        context = _common_suffix(before, prefix) + _common_prefix(after, suffix)
        candidates.append((-context, abs(position - start), position))
        position = text.find(quote, position + 1)
    if not candidates:
        return None
    _, _, best = min(candidates)
    return make_span(text, best, best + len(quote)), "moved"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
