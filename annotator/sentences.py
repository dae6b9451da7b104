"""Where sentences end, for CoNLL output and for showing a tag in its sentence."""

import bisect
import re

# Titles written before a name, in English and Spanish news copy: their full stop ends no
# sentence ("Mr. Smith", "la Dra. Sheinbaum"). Abbreviations that often do end one ("Inc.",
# "etc.") are not here.
TITLES = (
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Gov", "Sen", "Rep", "Lt", "Col", "Capt", "Sgt",
    "Rev", "Hon", "St", "Sr", "Sra", "Srta", "Dra", "Lic", "Ing", "vs",
)  # fmt: skip
_NOT_AFTER_TITLE = "".join(rf"(?<!\b{title}\.)" for title in TITLES)

# After . ! ? (and closing quotes or brackets) before whitespace, or at a line break; not after
# a lone capital letter, so "U.S. troops" and "J. Smith" stay one sentence, nor after a title.
# The mark is matched first and what precedes it checked after: tried at every character, the
# checks would cost more than the rest of a CoNLL export.
_CLOSERS = '"”’)]'
_SENTENCE_END = re.compile(
    rf"[.!?](?<!\b[A-Z].){_NOT_AFTER_TITLE}[{re.escape(_CLOSERS)}]*(?=\s)|\n"
)


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end, in order."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def sentence_around(text: str, start: int, end: int, limit: int = 240) -> tuple[str, str, str]:
    """The sentence (at most ``limit`` characters either side) around a span, as the text
    before the span, the span, and the text after it."""
    # Only sentence ends within the limit matter: search that window, not the whole article,
    # from far enough back to catch a mark whose closing quotes run into it.
    low, high = max(0, start - limit), min(len(text), end + limit)
    search_from = low
    while search_from > 0 and text[search_from - 1] in _CLOSERS:
        search_from -= 1
    search_from = max(0, search_from - 1)
    window = _SENTENCE_END.finditer(text, search_from, min(len(text), high + 1))
    ends = [match.end() for match in window]
    before = ends[bisect.bisect_right(ends, start) - 1] if bisect.bisect_right(ends, start) else 0
    left = max(before, low)
    after = bisect.bisect_left(ends, end)
    right = min(ends[after] if after < len(ends) else len(text), high)
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()
