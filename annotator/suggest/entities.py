"""Suggests people, organisations, places, events and other names: spaCy's named entities,
mapped to the newsroom's entity labels, with spans cut the way editors tag them, and rules on
top (a title before a capitalised name is a person), linked to the desk's Entities.

Without a model (degraded mode) only the rules run; the ``suggester`` of each suggestion says
which way it was found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.conf import settings

from . import nlp
from .base import Disjoint, Suggestion
from .context import Context
from .people import surname, titled_names

NAME = "entities"

# spaCy's OntoNotes labels -> the newsroom's entity labels. Dates, times, amounts and numbers
# are not names; nationalities and groups (NORP), works, laws, products and languages are
# "other".
LABELS = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "location",
    "LOC": "location",
    "FAC": "location",
    "NORP": "other",
    "EVENT": "event",
    "WORK_OF_ART": "other",
    "LAW": "other",
    "PRODUCT": "other",
    "LANGUAGE": "other",
}
CONFIDENCE = {"person": 0.8, "organization": 0.7, "location": 0.8, "event": 0.6, "other": 0.6}

# Editors tag the name, not the article before it or the possessive after it.
_LEADING = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING = re.compile(r"(?:['’]s?|[.,;:])$")
_NUMERIC = re.compile(r"^[\d\W]+$")
_CUT = re.compile(r"\s+\((?![^()]*\))|\s+\d[\d.,:/-]*\s|\s+(?:v|vs)\.?$")
# Abbreviations whose full stop belongs to the name: "Salomon Bros.", "Acme Inc."
_KEEPS_STOP = re.compile(r"(?:\b[A-Z]\.|\b(?:Bros|Inc|Co|Corp|Ltd|Jr|Sr|St|Cos|Mfg)\.)$")
# In results and line-ups a person is written "Guy Forget (France)".
_NAME_AND_COUNTRY = re.compile(r"\s*\((?:[A-Z][\w.'’-]*\s?){1,3}\)")
# Figures the model takes into a name: "Pusan 0 2 1 3", "1936 Olympics".
_TRAILING_FIGURES = re.compile(r"(?:\s+[\d.,:/-]+)+$")
_LEADING_FIGURES = re.compile(r"^(?:[\d.,:/-]+\s+)+")
# A name alone before figures to the end of the line is a team in a table of results
# ("NEW YORK 74 59 .556"), whatever place it is named after.
_TABLE_ROW = re.compile(r"[ \t]+[\d.,:/ \t-]+$")


def suggester_name(language: str = "") -> str:
    """This suggester's name as each suggestion records it: with the model it used, or
    ``rules`` in degraded mode (no model, or an article in a language the model does not
    read)."""
    return f"{NAME}:{settings.SPACY_MODEL}" if nlp.speaks(language) else f"{NAME}:rules"


def suggest(context: Context) -> Iterator[Suggestion]:
    name = suggester_name(context.language)
    taken = Disjoint()
    for start, end, entity_type, confidence in _found(context):
        # The newsroom's label for this type (the default labels are named after the types).
        label = context.desk.label_for(entity_type)
        if label is None or taken.overlaps(start, end):
            continue
        taken.add(start, end)
        surface = context.text[start:end]
        link = context.desk.link(surface, label)
        attributes = {}
        if link is not None:
            attributes["entity"] = link.entity_id
            confidence = max(confidence, link.confidence)
        yield Suggestion(label, start, end, round(confidence, 2), attributes, name)


def _found(context: Context) -> Iterator[tuple[int, int, str, float]]:
    text = context.text
    titled = titled_names(text)
    # A surname alone is the person the article named in full: the small model often takes
    # "Sheinbaum" for an organisation once the full name is out of its sight.
    surnames = {
        surname(m.text) for m in context.mentions if m.label == "PERSON" and " " in m.text.strip()
    } | {surname(text[start:end]) for start, end in titled}
    for start, end in titled:
        yield start, end, "person", 0.85
    for mention in context.mentions:
        label = LABELS.get(mention.label)
        if label is None:
            continue
        lone = " " not in mention.text.strip()
        if label != "person" and lone and surname(mention.text) in surnames:
            label = "person"
        start, end = _trim(text, mention.start, mention.end)
        if end - start < 2 or _NUMERIC.match(text[start:end]):
            continue
        words = text[start:end].split()
        if (
            label == "organization"
            and 2 <= len(words) <= 3
            and all(w[:1].isupper() for w in words)
            and _NAME_AND_COUNTRY.match(text, end)
        ):
            label = "person"
        line_end = text.find("\n", end)
        rest = text[end : line_end if line_end >= 0 else len(text)]
        if label == "location" and rest and _TABLE_ROW.fullmatch(rest):
            label = "organization"
        yield start, end, label, CONFIDENCE[label]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    surface = text[start:end]
    # A name stops before a bracket it does not close ("National League for Democracy (NLD")
    # and before a figure standing alone ("Worcestershire 238 and 303"), or a "v" of a fixture.
    cut = _CUT.search(surface)
    if cut and cut.start() > 0:
        end = start + cut.start()
    surface = text[start:end]
    figures = _TRAILING_FIGURES.search(surface)
    if figures and figures.start() > 0:
        end = start + figures.start()
    figures = _LEADING_FIGURES.match(text[start:end])
    if figures and figures.end() < end - start:
        start += figures.end()
    surface = text[start:end]
    lead = _LEADING.match(surface)
    if lead and end - start > lead.end():
        start += lead.end()
    while end > start:
        trail = _TRAILING.search(text[start:end])
        if not trail or trail.start() == 0:
            break
        # "U.S." and "Salomon Bros." keep their full stop.
        if text[end - 1] == "." and _KEEPS_STOP.search(text[start:end]):
            break
        end = start + trail.start()
    return start, end
