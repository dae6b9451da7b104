"""Rules that write articles and their revisions.

This layer knows nothing of annotations. A new text is a new revision; what must happen to the
annotations of the old one is the annotation layer's business: its own ``article_update``
calls this one and then carries them over, and every door of the app that changes a text (the
API, the admin, re-imports) goes through that one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import roles
from .events import article_created
from .models import Article, ArticleRevision
from .text import normalize_text

METADATA = ("title", "byline", "source_url", "published_at", "language")


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


def clean_text(raw: Any, field: str = "text") -> str:
    """The stored form of ``raw``, or a ValidationError naming ``field`` and what to fix."""
    if not isinstance(raw, str):
        raise ValidationError({field: "must be text."})
    text = normalize_text(raw)
    if "\x00" in text:
        # PostgreSQL cannot store it in a text column.
        raise ValidationError({field: "contains a NUL character (U+0000); remove it."})
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError(
            {
                field: f"contains a lone surrogate (U+{ord(text[error.start]):04X}), which is not a "
                "character: check the encoding of what was sent."
            }
        ) from error
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


def check_can_manage(user, action: str = "add articles") -> None:
    if not roles.can_manage_articles(user):
        raise PermissionDenied(f"Only editors can {action}.")


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
) -> tuple[Article, bool]:
    """Create an article from ``text`` (normalised here) and return ``(article, created)``.

    The same normalised text already stored returns the existing article instead of a copy.
    """
    check_can_manage(user)
    clean = clean_text(text)
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
    article_created.send(sender=Article, article_id=article.pk)
    return article, True


def locked(article: Article) -> Article:
    """The article re-read under its row lock, with its current revision: every write to its
    text or metadata starts here, so two editors saving at once are serialised."""
    return (
        Article.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=article.pk)
    )


@transaction.atomic
def article_update(*, article: Article, user, changes: Mapping[str, Any]) -> Article:
    """Update metadata and assignees; a new ``text`` (normalised here) becomes a new revision
    when it differs from the current one."""
    check_can_manage(user, "edit articles")
    article = locked(article)
    for field in METADATA:
        if field in changes:
            setattr(article, field, changes[field])
    if "assignees" in changes:
        article.assignees.set(changes["assignees"])
    if "text" in changes:
        clean = clean_text(changes["text"])
        if clean != article.text:
            revision_add(article=article, user=user, text=clean)
    article.updated_by = user
    article.full_clean(exclude=["current_revision", "created_by", "updated_by"])
    article.save()
    return article


def revision_add(*, article: Article, user, text: str) -> ArticleRevision:
    """Make ``text`` (already clean) the article's current revision, inside the transaction
    that holds the article's lock (``locked``)."""
    number = (
        article.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    revision = ArticleRevision.objects.create(
        article=article, number=number, text=text, sha256=text_sha256(text), created_by=user
    )
    article.current_revision = revision
    article.updated_by = user
    article.save(update_fields=["current_revision", "updated_by", "updated_at"])
    return revision


@transaction.atomic
def article_delete(*, article: Article, user) -> None:
    check_can_manage(user, "delete articles")
    article.deleted_at = timezone.now()
    article.updated_by = user
    article.save(update_fields=["deleted_at", "updated_by", "updated_at"])


@transaction.atomic
def article_restore(*, article: Article, user) -> None:
    check_can_manage(user, "restore articles")
    article.deleted_at = None
    article.updated_by = user
    article.save(update_fields=["deleted_at", "updated_by", "updated_at"])
