"""Machine suggestions: each suggester proposes spans; they are stored as `suggested`
annotations with origin `machine`, for a person to accept or reject."""

from __future__ import annotations

from articles.models import Article

from ..models import Annotation
from ..services import annotations_bulk_create
from . import known_entities, quotations

SUGGESTERS = (known_entities.suggest, quotations.suggest)


def run_suggesters(*, article: Article, user) -> list[Annotation]:
    """Run every suggester; spans that an annotation of the same label already covers are
    skipped, so running twice adds nothing new."""
    existing = set(
        Annotation.objects.filter(article=article, deleted_at__isnull=True).values_list(
            "label__slug", "start", "end"
        )
    )
    items = []
    for suggester in SUGGESTERS:
        for item in suggester(article.text):
            key = (item["label"], item["start"], item["end"])
            if key not in existing:
                existing.add(key)
                items.append(item)
    if not items:
        return []
    return annotations_bulk_create(
        article=article, author=user, items=items, origin=Annotation.Origin.MACHINE
    )
