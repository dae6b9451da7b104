"""Where direct quotes are: the text between quotation marks, paragraph by paragraph.

Marks: “…” (English), „…“ and „…” (German, Polish), «…» and ‹…› (French, Spanish), "…"
(straight). A quote left open at the end of a paragraph runs to its end: that is how a quote of
several paragraphs is written (each paragraph opens with a mark, only the last one closes), and
the paragraph after it that opens with a mark continues it. Single marks (‘…’) are left alone
at the top level: the same character is the apostrophe, and inside double marks they are a
quote within the quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Opening mark -> the marks that close it. Copy pasted from several sources mixes straight and
# typographic marks ("…” and “…"), so each closes the other.
_CLOSERS = {"“": '”"', "„": "“”", "«": "»", "‹": "›", '"': '"”'}
_PARAGRAPH = re.compile(r"[^\n]+")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
# A straight mark opens after a space, a bracket or a dash, or at the start of the paragraph;
# elsewhere (a word before it) it closes, or is an inch sign.
_OPENS_AFTER = " \t\u00a0([{—–-/"


@dataclass
class QuoteSpan:
    start: int  # inside the marks, whitespace trimmed
    end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when the paragraph ends first
    paragraph: tuple[int, int]
    continues: QuoteSpan | None = None  # the previous paragraph's open quote this one goes on


def words(text: str) -> int:
    return len(_WORD.findall(text))


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quoted passage of ``text``, in order; empty or blank passages are left out."""
    quotes: list[QuoteSpan] = []
    left_open: QuoteSpan | None = None
    for paragraph in _PARAGRAPH.finditer(text):
        p_start, p_end = paragraph.span()
        found = _in_paragraph(text, p_start, p_end)
        if left_open is not None and found:
            first = found[0]
            # Only a paragraph that opens with a mark goes on with the open quote.
            if text[p_start : first.open_mark].strip() == "":
                first.continues = left_open
        left_open = found[-1] if found and found[-1].close_mark is None else None
        quotes.extend(found)
    return quotes


def _in_paragraph(text: str, p_start: int, p_end: int) -> list[QuoteSpan]:
    found: list[QuoteSpan] = []
    opener: str | None = None
    open_at = -1
    inner = False  # a quote of the other style open inside this one
    i = p_start
    while i < p_end:
        char = text[i]
        if opener is None:
            if char in _CLOSERS and (char != '"' or _straight_opens(text, i, p_start)):
                opener, open_at, inner = char, i, False
        elif char == _CLOSERS[opener][0]:
            _add(found, text, open_at, i, (p_start, p_end))
            opener = None
        elif opener in '"“' and char in '"“”' and char != opener:
            # The other style: it opens a quote within this one, or closes the inner one, or
            # (with none open) closes this one.
            if inner:
                inner = char == "“" or (char == '"' and not _closes(text, i))
            elif char == "“" or (char == '"' and _straight_opens(text, i, p_start)):
                inner = True
            elif _closes(text, i):
                _add(found, text, open_at, i, (p_start, p_end))
                opener = None
        elif char in _CLOSERS[opener]:
            _add(found, text, open_at, i, (p_start, p_end))
            opener = None
        elif char == opener and opener != '"':
            # The same opening mark again before any closing one: the first was never closed.
            open_at = i
        i += 1
    if opener is not None:
        _add(found, text, open_at, None, (p_start, p_end))
    return found


def _closes(text: str, i: int) -> bool:
    """A mark of the other style closes only where a closing mark stands: after a word or a
    stop, before a space, a stop or the end."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or after in ".,;:!?)—–-")


def _straight_opens(text: str, i: int, p_start: int) -> bool:
    return i == p_start or text[i - 1] in _OPENS_AFTER


def _add(found, text: str, open_at: int, close_at: int | None, paragraph) -> None:
    start, end = open_at + 1, close_at if close_at is not None else paragraph[1]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        found.append(QuoteSpan(start, end, open_at, close_at, paragraph))
