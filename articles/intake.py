"""Create an article from what ingestion extracted, recording where each field came from."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from .extracted import Extracted
from .models import Article
from .services import article_create

Create = Callable[..., tuple[Article, bool]]


def article_create_extracted(
    *,
    extracted: Extracted,
    given: Mapping[str, Any] | None = None,
    user=None,
    create: Create | None = None,
) -> tuple[Article, bool]:
    """Create the article from the extracted text and metadata (what the person typed wins),
    and store the record of their sources on it in the same transaction. ``create`` makes the
    article from keyword fields (a viewset's ``create_article``, which a layer above may
    override); without it, ``article_create`` as ``user``. An article that already had this
    text is returned as it is, its record untouched."""
    if create is None:

        def create(**fields: Any) -> tuple[Article, bool]:
            return article_create(user=user, **fields)

    given = {key: value for key, value in (given or {}).items() if key != "text"}
    with transaction.atomic():
        article, created = create(**extracted.article_fields(given))
        if created:
            record = extracted.record(given)
            # A column of the row just inserted: no history row of its own is wanted for it.
            Article.objects.filter(pk=article.pk).update(extraction=record)
            article.extraction = record
    return article, created
