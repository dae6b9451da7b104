"""Suggests direct quotes with their speakers: the passages between quotation marks
(quote_marks.py), each attributed to who said it (attribution.py) through the people the
article names (people.py), linked to the desk's Entity for that person when one fits, and to the
speaker's entity span (a ``spoken_by`` relation) when the article has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .attribution import attribute
from .base import Suggestion
from .context import Context
from .people import Named, People, surname, titled_names
from .quote_marks import find_quotes, words

NAME = "quotations"

# Fewer words than this is a term or a scare quote ("called it “fake”"), not speech.
MIN_WORDS = 3
_MODEL_KINDS = {"PERSON": "person", "ORG": "organization"}
_TITLE_WORD = re.compile(r"[A-Za-z][\w'’-]*")
_SMALL = {"a", "an", "the", "of", "and", "in", "on", "at", "for", "to", "with", "or", "by", "de"}


def people_of(context: Context) -> People:
    """The people and organisations the article names, from the model and from the entity
    spans known so far (the desk's tags, earlier suggestions)."""
    named = [
        Named(m.start, m.end, m.text, _MODEL_KINDS[m.label])
        for m in context.mentions
        if m.label in _MODEL_KINDS
    ]
    named += [
        Named(start, end, context.text[start:end], "person")
        for start, end in titled_names(context.text)
    ]
    types = context.desk.entity_labels
    for start, end, label in context.entity_spans():
        if types.get(label) in ("person", "organization"):
            named.append(Named(start, end, context.text[start:end], types[label]))
    return People.build(context.text, named)


def suggest(context: Context) -> Iterator[Suggestion]:
    text = context.text
    quotes = find_quotes(text)
    if not quotes:
        return
    people = people_of(context)
    speakers = _speaker_spans(context)
    for quote, found in zip(quotes, attribute(text, quotes, people), strict=True):
        passage = text[quote.start : quote.end]
        if words(passage) < MIN_WORDS:
            continue
        if _is_title(passage):
            # "Face the Nation", "Contract with America": a name in marks, not speech.
            continue
        attributes = {"attribution": "direct"}
        confidence = 0.9 if quote.close_mark is not None else 0.8
        speaker_at = None
        if found.speaker_name:
            attributes["speaker_name"] = found.speaker_name[:300]
            kind = _kind_at(found.speaker_at, speakers, context) or "person"
            link = context.desk.link(found.speaker_name, context.desk.label_for(kind) or kind)
            if link is not None:
                attributes["speaker"] = link.entity_id
            speaker_at = _speaker_span(text, found, speakers)
        else:
            confidence -= 0.1
        yield Suggestion("quote", quote.start, quote.end, confidence, attributes, NAME, speaker_at)


def _is_title(passage: str) -> bool:
    tokens = _TITLE_WORD.findall(passage)
    if not tokens or len(tokens) > 6:
        return False
    return all(t[:1].isupper() or t.lower() in _SMALL for t in tokens)


def _speaker_spans(context: Context) -> list[tuple[int, int, str]]:
    types = context.desk.entity_labels
    return [
        (start, end, label)
        for start, end, label in context.entity_spans()
        if types.get(label) in ("person", "organization")
    ]


def _kind_at(at, spans, context: Context) -> str | None:
    if at is None:
        return None
    for start, end, label in spans:
        if start < at[1] and at[0] < end:
            return context.desk.entity_labels.get(label)
    return None


def _speaker_span(text: str, found, spans: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The entity span to link the quote to: the one naming the speaker in the attribution,
    else the nearest one before it that names the same person."""
    if found.speaker_at is not None:
        for start, end, _ in spans:
            if start < found.speaker_at[1] and found.speaker_at[0] < end:
                return (start, end)
    key = surname(found.speaker_name)
    limit = found.speaker_at[0] if found.speaker_at else None
    best = None
    for start, end, _ in spans:
        if limit is not None and start > limit and best is not None:
            break
        if key and surname(text[start:end]) == key:
            best = (start, end)
    return best
