"""Rules that write articles and their revisions."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from annotator import roles
from annotator.anchoring import normalize_text, reanchor
from annotator.models import Annotation, ArticleAnnotationsCache

from .models import Article, ArticleRevision


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def find_duplicate(text: str) -> Article | None:
    """The live article whose current text is exactly this normalised text, if any."""
    return (
        Article.objects.alive()
        .filter(current_revision__sha256=text_sha256(text))
        .order_by("id")
        .first()
    )


def _clean_text(raw: Any, field: str = "text") -> str:
    from django.conf import settings

    if not isinstance(raw, str):
        raise ValidationError({field: "must be text."})
    text = normalize_text(raw)
    if "\x00" in text:
        # PostgreSQL cannot store it, and the CSV export's stored rows use it as a marker.
        raise ValidationError({field: "contains a NUL character (U+0000); remove it."})
    if not text.strip():
        raise ValidationError({field: "is empty: an article needs some text to annotate."})
    if len(text) > settings.ARTICLE_MAX_TEXT_CHARS:
        raise ValidationError(
            {
                field: f"is {len(text):,} characters long; the limit is "
                f"{settings.ARTICLE_MAX_TEXT_CHARS:,} (ARTICLE_MAX_TEXT_CHARS)."
            }
        )
    return text


@transaction.atomic
def article_create(
    *,
    user,
    title: str,
    text: str,
    byline: str = "",
    source_url: str = "",
    published_at=None,
    language: str = "",
    annotations: Sequence[Mapping[str, Any]] | None = None,
) -> tuple[Article, bool]:
    """Create an article from ``text`` (normalised here) and return ``(article, created)``.

    The same normalised text already stored returns the existing article instead of a copy.
    ``annotations`` carry offsets against ``text`` as sent; they are mapped through the
    normalisation and stored in the same transaction, or nothing is stored.
    """
    if not roles.can_manage_articles(user):
        raise PermissionDenied("Only editors can add articles.")
    clean = _clean_text(text)
    existing = find_duplicate(clean)
    if existing is not None:
        return existing, False
    article = Article(
        title=(title or "").strip() or clean.split("\n", 1)[0][:200],
        byline=byline or "",
        source_url=source_url or "",
        published_at=published_at,
        language=language or "",
        created_by=user,
        updated_by=user,
    )
    article.full_clean(exclude=["current_revision", "created_by", "updated_by"])
    article.save()
    revision = ArticleRevision.objects.create(
        article=article, number=1, text=clean, sha256=text_sha256(clean), created_by=user
    )
    article.current_revision = revision
    article.save(update_fields=["current_revision"])
    if annotations:
        from annotator.services import BulkErrors, annotations_bulk_create

        try:
            annotations_bulk_create(article=article, author=user, items=annotations, raw_text=text)
        except BulkErrors as error:
            raise BulkErrors(error.errors, field="annotations") from error
    return article, True


@transaction.atomic
def article_update(*, article: Article, user, changes: Mapping[str, Any]) -> Article:
    """Update metadata; a new ``text`` becomes a new revision and its annotations re-anchor."""
    if not roles.can_manage_articles(user):
        raise PermissionDenied("Only editors can edit articles.")
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=article.pk)
    )
    for field in ("title", "byline", "source_url", "published_at", "language"):
        if field in changes:
            setattr(article, field, changes[field])
    if "assignees" in changes:
        article.assignees.set(changes["assignees"])
    if "text" in changes:
        clean = _clean_text(changes["text"])
        if clean != article.text:
            revision_add(article=article, user=user, text=clean)
    article.updated_by = user
    article.full_clean(exclude=["current_revision", "created_by", "updated_by"])
    article.save()
    return article


def revision_add(*, article: Article, user, text: str) -> ArticleRevision:
    number = (
        article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    revision = ArticleRevision.objects.create(
        article=article, number=number, text=text, sha256=text_sha256(text), created_by=user
    )
    article.current_revision = revision
    annotations = list(Annotation.objects.filter(article=article).alive())
    now = timezone.now()
    for annotation in annotations:
        found = reanchor(
            text,
            start=annotation.start,
            end=annotation.end,
            quote=annotation.quote,
            prefix=annotation.prefix,
            suffix=annotation.suffix,
        )
        if found is None:
            # Keep the old offsets and quote so an editor can repair it; exports skip it.
            annotation.anchor_state = Annotation.AnchorState.ORPHANED
        else:
            span, state = found
            annotation.start, annotation.end = span.start, span.end
            annotation.prefix, annotation.suffix = span.prefix, span.suffix
            annotation.revision = revision
            annotation.anchor_state = state
        annotation.version += 1
        annotation.updated_at = now
    Annotation.objects.bulk_update(
        annotations,
        ["start", "end", "prefix", "suffix", "revision", "anchor_state", "version", "updated_at"],
    )
    Annotation.history.bulk_history_create(
        annotations, default_user=user, default_change_reason="re-anchor"
    )
    # Every span moved: assemble the article's cache now rather than on the page's next load.
    ArticleAnnotationsCache.clear([article.pk], warm=True)
    return revision


@transaction.atomic
def article_delete(*, article: Article, user) -> None:
    if not roles.can_manage_articles(user):
        raise PermissionDenied("Only editors can delete articles.")
    article.deleted_at = timezone.now()
    article.updated_by = user
    article.save(update_fields=["deleted_at", "updated_by", "updated_at"])
