"""Suggests check-worthy claims: sentences that assert something a fact-checker can verify
(figures and quantities, dates, comparisons, official actions such as designated, deployed,
extradited, approved), scored ``high``, ``medium`` or ``low``. Sentences with no such signal are
not suggested; questions and opinions ("should", "I think") count less.

Signals are words and figures, in English and Spanish, so this works without a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..sentences import sentence_ends
from .base import Suggestion
from .context import Context

NAME = "claims"


def _words(*words: str) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I)


_QUANTITIES = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens?",
    "hundreds?", "thousands?", "millions?", "billions?", "half", "twice", "dos", "tres",
    "cuatro", "cinco", "cientos", "miles",
)  # fmt: skip
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
)  # fmt: skip
_COMPARISONS = (
    r"(?:more|less|fewer)\s+than", "highest", "lowest", "largest", "biggest", "smallest",
    "fastest", "worst", "record", "doubled", "tripled", "halved", "increased", "decreased",
    "rose", "fell", "grew", "dropped", "declined", "surged", "plunged", "jumped", "soared",
    r"compared\s+(?:to|with)", r"más\s+que", r"menos\s+que", "récord", "aumentó", "creció",
    "cayó", "disminuyó", "duplicó",
)  # fmt: skip
_OFFICIAL_ACTIONS = (
    "designated", "deployed", "extradited", "approved", "signed", "passed", "banned",
    "arrested", "charged", "convicted", "sentenced", "sanctioned", "indicted", "vetoed",
    "ratified", "imposed", "ordered", "seized", "killed", "declared", "enacted", "repealed",
    "fined", "deported", "voted", "awarded", "designó", "desplegó", "extraditó", "aprobó",
    "firmó", "detuvo", "arrestó", "sancionó", "decretó", "ordenó", "condenó", "deportó", "votó",
)  # fmt: skip
# (pattern, weight, what it is)
_SIGNALS: list[tuple[re.Pattern, int, str]] = [
    (re.compile(r"(?<![\w.])\d[\d,.]*\s*(?:%|percent|per\s*cent|por\s+ciento)", re.I), 3, "percent"),
    (re.compile(r"[$€£¥]\s?\d|\b\d[\d,.]*\s*(?:dollars|euros|pesos|pounds)\b", re.I), 3, "money"),
    (re.compile(r"\b\d[\d,.]*\s*(?:million|billion|trillion|millones)\b", re.I), 3, "amount"),
    (re.compile(r"(?<![\w.:/-])\d[\d,.]*(?![\w:/%-])"), 2, "figure"),
    (_words(*_QUANTITIES), 1, "quantity"),
    (re.compile(r"\b(?:" + "|".join(_MONTHS) + r")\b"), 1, "date"),
    (re.compile(r"\b(?:19|20)\d\d\b"), 1, "year"),
    (_words(*_COMPARISONS), 2, "comparison"),
    (_words(*_OFFICIAL_ACTIONS), 2, "official action"),
]  # fmt: skip
_OPINION = re.compile(
    r"\b(?:I\s+think|I\s+believe|should|must|ought|would\s+like|hope|maybe|perhaps|"
    r"deberíamos|debe|creo\s+que|quizás|ojalá)\b",
    re.I,
)
_WORD = re.compile(r"\w+")
MIN_WORDS = 6
MAX_CHARS = 600
LEVELS = ((5, "high", 0.8), (3, "medium", 0.6), (2, "low", 0.4))


def score(sentence: str) -> tuple[int, list[str]]:
    """How check-worthy a sentence is, and the signals that say so."""
    total, reasons = 0, []
    for pattern, weight, reason in _SIGNALS:
        if pattern.search(sentence):
            total += weight
            reasons.append(reason)
    if "figure" in reasons and {"percent", "money", "amount"} & set(reasons):
        total -= 2  # the same number counted twice
    if _OPINION.search(sentence):
        total -= 2
    if sentence.rstrip(' ”"’»)').endswith("?"):
        total -= 3
    return total, reasons


def worthiness(sentence: str) -> tuple[str, float] | None:
    total, _ = score(sentence)
    for threshold, level, confidence in LEVELS:
        if total >= threshold:
            return level, confidence
    return None


def suggest(context: Context) -> Iterator[Suggestion]:
    text = context.text
    found = []
    start = 0
    for end in [*sentence_ends(text), len(text)]:
        s, e = start, end
        start = end
        while s < e and text[s] in ' \t\n“”"«»„‘’':
            s += 1
        while e > s and text[e - 1] in " \t\n":
            e -= 1
        sentence = text[s:e]
        if len(_WORD.findall(sentence)) < MIN_WORDS or len(sentence) > MAX_CHARS:
            continue
        rated = worthiness(sentence)
        if rated is None:
            continue
        level, confidence = rated
        found.append(Suggestion("claim", s, e, confidence, {"check_worthiness": level}, NAME))
    # Check-worthy first: the most worth checking are proposed (and listed) before the rest.
    found.sort(key=lambda s: (-s.confidence, s.start))
    yield from found
