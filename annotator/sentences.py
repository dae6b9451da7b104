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
_NOT_AFTER_TITLE = "".join(rf"(?<!\b{title})" for title in TITLES)

# After . ! ? (and closing quotes or brackets) before whitespace, or at a line break; not after
# a lone capital letter, so "U.S. troops" and "J. Smith" stay one sentence, nor after a title.
_SENTENCE_END = re.compile(rf"(?<!\b[A-Z])(?:{_NOT_AFTER_TITLE}\.|[!?])[\"”’)\]]*(?=\s)|\n")


def sentence_ends(text: str) -> list[int]:
    """Offsets just after each sentence end, in order."""
    return [match.end() for match in _SENTENCE_END.finditer(text)]


def sentence_around(text: str, start: int, end: int, limit: int = 240) -> tuple[str, str, str]:
    """The sentence (at most ``limit`` characters either side) around a span, as the text
    before the span, the span, and the text after it."""
    ends = sentence_ends(text)
    before = ends[bisect.bisect_right(ends, start) - 1] if bisect.bisect_right(ends, start) else 0
    left = max(before, start - limit)
    after = bisect.bisect_left(ends, end)
    right = min(ends[after] if after < len(ends) else len(text), end + limit)
    return text[left:start].lstrip(), text[start:end], text[end:right].rstrip()
