"""How words match: the rules of both databases, and of the passages a page marks.

A word is a run of letters and digits; every word of a query must match, in any inflection.

PostgreSQL stems a text in its article's language (its ``english`` and ``spanish``
configurations are the Snowball stemmers): English (``en``, ``en-GB``, ...) as English, Spanish
as Spanish, a text whose language is not set both ways, any other language word for word
(``simple``). A query does not say its language, so a query word matches any of its English or
Spanish stems or itself (``newsdesk_tsquery`` in schema.py). "designating" finds "designated",
"cárteles" finds "cartel".

SQLite indexes the texts with FTS5's ``porter`` tokenizer, which stems English (accents
folded), and nothing else: FTS5 has no Spanish stemmer, and a stemmer of our own in Python
cannot run in the triggers (schema.py says why). So a query word matches, on SQLite, its
English stem (the tokenizer) or any indexed word that begins with its Spanish Snowball stem
(PyStemmer): "designaron" -> ``design*`` finds "designó" and "designated". A Spanish stem
shorter than four letters is matched whole, not as a beginning ("sin*" would find "single").
The article's language plays no part on SQLite; it matches a little more than PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

WORD = re.compile(r"[^\W_]+")
# A query's words beyond this are ignored: nobody types more, and each adds work to the plan.
MAX_QUERY_WORDS = 16
MAX_WORD_CHARS = 64
# A Spanish stem at least this long matches, on SQLite, the words it begins.
MIN_PREFIX = 4

STEMMED = {"en": "english", "es": "spanish"}
UNKNOWN = ("english", "spanish")
QUERY_CONFIGS = ("english", "spanish", "simple")


def configs_for(language: str | None) -> tuple[str, ...]:
    """The text-search configurations (PostgreSQL's names) a text in ``language`` is indexed
    with. Mirrors ``newsdesk_tsvector`` in schema.py."""
    primary = re.match(r"[A-Za-z]*", language or "").group().lower()
    if not primary:
        return UNKNOWN
    if primary in STEMMED:
        return (STEMMED[primary],)
    return ("simple",)


@lru_cache(maxsize=4)
def _stemmer(config: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(config)


def stems(config: str, words: list[str]) -> list[str]:
    if config == "simple":
        return words
    return _stemmer(config).stemWords(words)


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


def query_words(q: str | None) -> list[str]:
    """The words of a search box's text, lower-cased, in order, without repeats."""
    words = [word[:MAX_WORD_CHARS] for word in words_of(q or "")]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def word_forms(word: str) -> set[str]:
    """Every indexed form that ``word`` of a query matches."""
    return {stems(config, [word])[0] for config in QUERY_CONFIGS}


def fts5_query(words: Iterable[str]) -> str:
    """An FTS5 MATCH expression: every word, as itself (English stems: the tokenizer) or as
    the beginning of its Spanish stem."""

    def quoted(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def forms(word: str) -> str:
        spanish = stems("spanish", [word])[0]
        if spanish == word:
            return quoted(word)
        prefix = quoted(spanish) + ("*" if len(spanish) >= MIN_PREFIX else "")
        return f"({quoted(word)} OR {prefix})"

    return " AND ".join(forms(word) for word in words)


@dataclass(frozen=True)
class Passage:
    """A stretch of text around the first match, cut into plain and matching pieces, for a
    template to show with ``<mark>`` (each piece is escaped like any other text)."""

    pieces: tuple[tuple[str, bool], ...]
    clipped_start: bool
    clipped_end: bool

    @property
    def matched(self) -> bool:
        return any(is_match for _, is_match in self.pieces)


def passage(
    text: str, words: list[str], language: str | None = None, *, width: int | None = 240
) -> Passage:
    """The part of ``text`` (all of it when ``width`` is None) where the most of the query's
    words match, the first such place, with every matching word marked."""
    text = text or ""
    forms = [word_forms(word) for word in words]
    configs = configs_for(language) + ("simple",)
    found: list[tuple[int, int, frozenset[int]]] = []
    for match in WORD.finditer(text):
        word = match.group().lower()
        mine = {stems(config, [word])[0] for config in configs}
        which = frozenset(i for i, wanted in enumerate(forms) if mine & wanted)
        if which:
            found.append((match.start(), match.end(), which))
    lo, hi = 0, len(text)
    if width is not None and len(text) > width:
        first = _best_window(found, width)
        lo = max(0, first - width // 3)
        # Start and end on a word boundary where one is near, not in the middle of a word.
        space = text.rfind(" ", 0, lo + 1)
        lo = space + 1 if lo and space >= lo - 20 else lo
        hi = min(len(text), lo + width)
        space = text.find(" ", hi)
        hi = space if hi < len(text) and 0 <= space - hi <= 20 else hi
    pieces: list[tuple[str, bool]] = []
    at = lo
    for start, end, _ in found:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < hi:
        pieces.append((text[at:hi], False))
    return Passage(tuple(pieces), clipped_start=lo > 0, clipped_end=hi < len(text))


def _best_window(found: list[tuple[int, int, frozenset[int]]], width: int) -> int:
    """Where the window holding the most distinct query words starts (the first such)."""
    best, best_count = (found[0][0] if found else 0), 0
    span = width * 2 // 3
    for i, (start, _, _) in enumerate(found[:500]):
        seen: set[int] = set()
        for other_start, _, which in found[i:]:
            if other_start - start > span:
                break
            seen |= which
        if len(seen) > best_count:
            best, best_count = start, len(seen)
    return best
