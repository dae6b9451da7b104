"""Full-text search over annotations: quote, speaker name, verdict note."""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet

from articles.search.analysis import fts5_query, query_words
from articles.search.expressions import postgres_search, sqlite_search

# Quote, speaker, verdict note.
SQLITE_WEIGHTS = (10.0, 5.0, 2.0)


def search_annotations(queryset: QuerySet, q: str | None, *, ranked: bool = True) -> QuerySet:
    """The annotations of ``queryset`` whose quote, speaker name or verdict note hold every
    word of ``q`` (in any inflection, in the article's language), annotated with
    ``search_rank`` (higher is better) and, with ``ranked``, ordered by it, newest first among
    equals. A ``q`` without words filters nothing."""
    words = query_words(q)
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        found = postgres_search(queryset, "search_document__document", words)
    else:
        found = sqlite_search(queryset, "search_document__fts", fts5_query(words), SQLITE_WEIGHTS)
    return found.order_by("-search_rank", "-created_at", "-id") if ranked else found
