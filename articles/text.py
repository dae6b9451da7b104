"""The text rule: how an article's text is stored. Everything else (offsets, anchors, exports)
derives from the string this gives, so it lives in the lower layer with the articles."""

from __future__ import annotations

import re
import unicodedata

_LEADING_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)+")
_TRAILING_BLANK_LINES = re.compile(r"(?:\n[^\S\n]*)+\Z")


def normalize_text(text: str) -> str:
    """The stored form of an article's text: newlines folded, NFC, leading byte-order marks and
    outer blank lines trimmed. Idempotent."""
    text = unicodedata.normalize("NFC", _fold_newlines(text))
    start, end = kept_bounds(text)
    return text[start:end]


def _fold_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def kept_bounds(text: str) -> tuple[int, int]:
    """Where the kept text starts and ends once byte-order marks and blank lines are trimmed
    from its edges (repeatedly: blank lines can hide a BOM and a BOM blank lines)."""
    start = 0
    while True:
        position = start
        while position < len(text) and text[position] == "\ufeff":
            position += 1
        blank = _LEADING_BLANK_LINES.match(text, position)
        if blank:
            position = blank.end()
        if position == start:
            break
        start = position
    trailing = _TRAILING_BLANK_LINES.search(text, start)
    return start, trailing.start() if trailing else len(text)
