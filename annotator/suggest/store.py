"""The one place suggestions are written: as ``suggested`` annotations with origin machine,
through annotations_bulk_create (all or nothing), and the ``spoken_by`` links from quotes to
their speakers' entity spans.

``confidence`` and ``suggester`` live in the annotation's attributes until the Annotation model
has columns for them: machine_fields() is the only code that knows where they go.
"""

from __future__ import annotations

from django.db import transaction

from articles.models import Article

from ..models import Annotation, Relation
from ..services import annotations_bulk_create
from .base import Span, Suggestion


def machine_fields(*, confidence: float, suggester: str) -> dict:
    """Where a suggestion's confidence and suggester are stored (today: its attributes)."""
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
            "attributes": {
                **s.attributes,
                **machine_fields(confidence=s.confidence, suggester=s.suggester),
            },
        }
        for s in suggestions
    ]
    created = annotations_bulk_create(
        article=article, author=user, items=items, origin=Annotation.Origin.MACHINE
    )
    entity_at: dict[tuple[int, int], int] = {}
    for span_start, span_end, pk in _existing_entity_ids(article, existing):
        entity_at.setdefault((span_start, span_end), pk)
    for suggestion, pk in zip(suggestions, created, strict=True):
        if kinds.get(suggestion.label) == "entity":
            entity_at[(suggestion.start, suggestion.end)] = pk
    relations = [
        Relation(
            article=article,
            source_id=pk,
            target_id=entity_at[suggestion.speaker_at],
            type=Relation.Type.SPOKEN_BY,
            author=user,
        )
        for suggestion, pk in zip(suggestions, created, strict=True)
        if suggestion.speaker_at in entity_at
    ]
    if relations:
        # Links between spans this run wrote (or the article has), of one article, checked
        # above: written at once rather than one relation_create (and its checks) per quote.
        Relation.objects.bulk_create(relations)
        # bulk_create skips simple-history's signal; record the creations explicitly.
        Relation.history.bulk_history_create(relations, default_user=user)
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
