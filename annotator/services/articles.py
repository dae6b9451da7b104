"""Writes of articles that concern their annotations: every door that creates an article with
annotations, changes a text or moves an article through its workflow comes here, and this
calls the article layer below."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from articles import services as article_services
from articles import workflow
from articles.models import Article

from ..choices import AnnotationStatus
from ..models import Annotation, Relation
from ..webhooks.events import emit
from .bulk import BulkErrors, annotations_bulk_create
from .reanchoring import reanchor_article


@transaction.atomic
def article_create(
    *, user, annotations: Sequence[Mapping[str, Any]] | None = None, **fields: Any
) -> tuple[Article, bool]:
    """``articles.services.article_create``, with ``annotations`` (offsets against the text as
    sent) stored in the same transaction, or nothing stored."""
    article, created = article_services.article_create(user=user, **fields)
    if created and annotations:
        try:
            annotations_bulk_create(
                article=article, author=user, items=annotations, raw_text=fields["text"]
            )
        except BulkErrors as error:
            raise BulkErrors(error.errors, field="annotations") from error
    return article, created


@transaction.atomic
def article_update(*, article: Article, user, changes: Mapping[str, Any]) -> Article:
    """Update metadata; a new ``text`` becomes a new revision and its annotations re-anchor."""
    # The lock first, so the revision compared below is the one the update starts from.
    before = article_services.locked(article).current_revision_id
    article = article_services.article_update(article=article, user=user, changes=changes)
    if article.current_revision_id != before:
        reanchor_article(article=article, revision=article.current_revision, user=user)
    emit("article.updated", article_id=article.pk)
    return article


def _nothing_awaits_review(article: Article, status: str) -> None:
    if status != Article.Status.PUBLISHED:
        return
    unreviewed = Annotation.objects.filter(
        article=article,
        deleted_at__isnull=True,
        status__in=[AnnotationStatus.PENDING, AnnotationStatus.SUGGESTED],
    ).count()
    if unreviewed:
        raise ValidationError(
            {
                "status": f"{unreviewed} annotation(s) still await review; approve or reject them before publishing."
            }
        )


@transaction.atomic
def article_set_status(*, article: Article, user, status: str) -> Article:
    """Move the article through its workflow; publishing needs every annotation reviewed."""
    before = Article.objects.filter(pk=article.pk).values_list("status", flat=True).first()
    moved = workflow.article_set_status(
        article=article, user=user, status=status, check=_nothing_awaits_review
    )
    if moved.status != before:
        emit("article.status_changed", article_id=moved.pk)
    return moved


@transaction.atomic
def article_purge(*, article: Article, user) -> None:
    """Remove an article for good, with its annotations, relations and revisions."""
    if not user.is_superuser:
        raise PermissionDenied("Only a superuser can purge articles.")
    Relation.objects.filter(article=article).delete()
    Annotation.objects.filter(article=article).delete()
    article.delete()
