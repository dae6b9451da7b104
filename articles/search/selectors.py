"""Full-text search over articles: title, byline and current text."""

from __future__ import annotations

from django.db import connections
from django.db.models import QuerySet

from .analysis import fts5_query, query_words
from .expressions import postgres_search, sqlite_search

# Title, byline, text: a word in the title says more about what the article is about.
SQLITE_WEIGHTS = (10.0, 4.0, 1.0)


def search_articles(queryset: QuerySet, q: str | None, *, ranked: bool = True) -> QuerySet:
    """The articles of ``queryset`` whose title, byline or text hold every word of ``q`` (in
    any inflection), annotated with ``search_rank`` (higher is better) and, with ``ranked``,
    ordered by it, newest first among equals. A ``q`` without words filters nothing."""
    words = query_words(q)
    if not words:
        return queryset
    if connections[queryset.db].vendor == "postgresql":
        found = postgres_search(queryset, "search_document__document", words)
    else:
        found = sqlite_search(queryset, "search_document__fts", fts5_query(words), SQLITE_WEIGHTS)
    return found.order_by("-search_rank", "-created_at", "-id") if ranked else found
