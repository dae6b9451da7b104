"""The one place suggestions are written: as ``suggested`` annotations with origin machine,
through annotations_bulk_create (all or nothing), and the ``spoken_by`` links from quotes to
their speakers' entity spans.

A suggestion's ``confidence`` and ``suggester`` are the annotation's own columns.
"""

from __future__ import annotations

from django.db import transaction

from articles.models import Article

from ..models import Annotation, Relation
from ..services import annotations_bulk_create, relations_bulk_create
from .base import Span, Suggestion


def machine_fields(*, confidence: float, suggester: str) -> dict:
    """A suggestion's confidence (0 to 1, three places) and suggester, as a bulk item carries
    them."""
    return {"confidence": round(min(max(float(confidence), 0.0), 1.0), 3), "suggester": suggester}


@transaction.atomic
def save_suggestions(
    *, article: Article, user, suggestions: list[Suggestion], existing: list[Span], kinds
) -> list[int]:
    """Create the suggestions (ids in order) and link each quote to its speaker's entity span,
    whether that span was suggested in this run or is already in the article. ``kinds`` maps a
    label slug to its kind."""
    if not suggestions:
        return []
    items = [
        {
            "label": s.label,
            "start": s.start,
            "end": s.end,
            "attributes": s.attributes,
            **machine_fields(confidence=s.confidence, suggester=s.suggester),
        }
        for s in suggestions
    ]
    created = annotations_bulk_create(
        article=article, author=user, items=items, origin=Annotation.Origin.MACHINE
    ).ids
    entity_at: dict[tuple[int, int], int] = {}
    for span_start, span_end, pk in _existing_entity_ids(article, existing):
        entity_at.setdefault((span_start, span_end), pk)
    for suggestion, pk in zip(suggestions, created, strict=True):
        if kinds.get(suggestion.label) == "entity":
            entity_at[(suggestion.start, suggestion.end)] = pk
    relations_bulk_create(
        article=article,
        author=user,
        links=[
            (pk, entity_at[suggestion.speaker_at], Relation.Type.SPOKEN_BY)
            for suggestion, pk in zip(suggestions, created, strict=True)
            if suggestion.speaker_at in entity_at
        ],
    )
    return created


def _existing_entity_ids(article: Article, existing: list[Span]):
    spans = {(s.start, s.end) for s in existing if s.kind == "entity"}
    if not spans:
        return []
    rows = Annotation.objects.alive().filter(article=article, label__kind="entity")
    return [
        (start, end, pk)
        for start, end, pk in rows.values_list("start", "end", "id")
        if (start, end) in spans
    ]
