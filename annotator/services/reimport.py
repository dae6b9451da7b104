"""Importing a story that may already be here: matched by its source URL, a corrected text
becomes a new revision of the article, and its annotations follow their words through the edit
the same way as through the API and the admin."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from articles.models import Article
from articles.services import clean_text

from .articles import article_create, article_update

# Metadata a re-import may correct along with the text.
METADATA = ("title", "byline", "published_at", "language")


@transaction.atomic
def article_import(
    *, user, annotations: Sequence[Mapping[str, Any]] | None = None, **fields: Any
) -> tuple[Article, str]:
    """Import one story and say what happened: ``created``; ``duplicate`` (the same text, or
    the same source URL with the same text, is already stored); or ``revised`` (an article
    with the same source URL had another text: the new one is its next revision). A revised
    article keeps its own annotations, carried through the edit; ``annotations`` sent with the
    record are stored only with a new article, where their offsets belong."""
    url = (fields.get("source_url") or "").strip()
    existing = (
        Article.objects.alive().filter(source_url=url).order_by("-id").first() if url else None
    )
    if existing is None:
        article, created = article_create(user=user, annotations=annotations, **fields)
        return article, "created" if created else "duplicate"
    if clean_text(fields.get("text")) == existing.text:
        return existing, "duplicate"
    changes = {"text": fields["text"]}
    changes.update({name: fields[name] for name in METADATA if fields.get(name)})
    return article_update(article=existing, user=user, changes=changes), "revised"
