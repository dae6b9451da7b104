"""Reads for the pages: each fixes its query plan here, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from articles.models import Article

from .models import Annotation, Entity, Label
from .representation import annotation_dicts


def live_annotations() -> QuerySet:
    return Annotation.objects.filter(deleted_at__isnull=True, article__deleted_at__isnull=True)


def article_page_data(article: Article) -> dict[str, Any]:
    """Everything the annotation page needs, as JSON-ready data: three queries."""
    annotations = list(
        annotation_dicts(
            Annotation.objects.filter(article=article, deleted_at__isnull=True).order_by(
                "start", "end", "id"
            )
        )
    )
    entity_ids = {
        a["attributes"].get(key)
        for a in annotations
        for key in ("entity", "speaker")
        if a["attributes"].get(key)
    }
    entities = list(
        Entity.objects.filter(pk__in=entity_ids).values("id", "name", "type", "wikidata_qid")
    )
    return {"annotations": annotations, "entities": entities}


def labels_data() -> list[dict[str, Any]]:
    return list(
        Label.objects.filter(active=True).values(
            "id", "slug", "name", "kind", "entity_type", "color", "shortcut", "description"
        )
    )


def entities_with_counts() -> QuerySet:
    return Entity.objects.annotate(
        mention_count=Count("mentions", filter=Q(mentions__deleted_at__isnull=True), distinct=True),
        quote_count=Count("quotes", filter=Q(quotes__deleted_at__isnull=True), distinct=True),
    ).order_by("name")


def annotations_for_listing(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("label", "article", "author", "speaker", "entity").order_by(
        "-created_at", "-id"
    )


def annotator_stats() -> list[dict[str, Any]]:
    """Per person and label: annotations made, approved, rejected and waiting. One query."""
    rows = (
        Annotation.objects.filter(deleted_at__isnull=True, origin=Annotation.Origin.HUMAN)
        .values("author__username", "label__slug")
        .annotate(
            made=Count("id"),
            approved=Count("id", filter=Q(status=Annotation.Status.APPROVED)),
            rejected=Count("id", filter=Q(status=Annotation.Status.REJECTED)),
            pending=Count("id", filter=Q(status=Annotation.Status.PENDING)),
        )
        .order_by("author__username", "label__slug")
    )
    return [
        {
            "author": row["author__username"],
            "label": row["label__slug"],
            "made": row["made"],
            "approved": row["approved"],
            "rejected": row["rejected"],
            "pending": row["pending"],
        }
        for row in rows
    ]
