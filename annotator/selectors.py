"""Reads for the pages: each fixes its query plan here, in a constant number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from articles import roles
from articles.models import Article, ArticleRevision

from .edits import Outcome
from .models import Annotation, Entity, Label
from .services.reanchoring import REASON_PREFIX, reanchor_reason


def visible_annotations(user) -> QuerySet:
    """Annotations, deleted ones included, of the articles this user may read."""
    if roles.reads_every_article(user):
        # A join rather than `article IN (every live article)`: the database can then start
        # from the index of whatever else the query filters or orders by.
        return Annotation.objects.filter(article__deleted_at__isnull=True)
    return Annotation.objects.filter(article__in=Article.objects.visible_to(user))


def live_annotations(user) -> QuerySet:
    return visible_annotations(user).filter(deleted_at__isnull=True)


def article_entities(article: Article) -> list[dict[str, Any]]:
    """The entities this article's spans link to or whose quotes it carries: one query."""
    live = Q(mentions__article=article, mentions__deleted_at__isnull=True) | Q(
        quotes__article=article, quotes__deleted_at__isnull=True
    )
    return list(Entity.objects.filter(live).distinct().values("id", "name", "type", "wikidata_qid"))


def reanchored_tags(revision: ArticleRevision) -> list[tuple[int, str, str]]:
    """``(annotation id, outcome, what changed)`` for each tag that this revision's re-anchoring
    moved, changed or orphaned, read from the history rows it wrote (kept tags are left out: an
    edit can keep thousands): one query."""
    touched = Q()
    for outcome in (Outcome.MOVED, Outcome.CHANGED, Outcome.ORPHANED):
        touched |= Q(history_change_reason__startswith=REASON_PREFIX + outcome)
    rows = Annotation.history.filter(
        touched,
        article_id=revision.article_id,
        # The rows were written in the transaction that made the revision, after it; a later
        # revision's rows would belong to the revision that is then current.
        history_date__gte=revision.created_at,
    ).values_list("id", "history_change_reason")
    found = []
    for pk, reason in rows.order_by("history_id"):
        outcome, what = reanchor_reason(reason) or (None, "")
        if outcome is not None:
            found.append((pk, outcome.value, what))
    return found


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
