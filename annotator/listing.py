"""Reads for the lists of quotes, claims and articles: filters, counts and default order.

The pages and the API share the filter sets (annotator/api/filters.py, articles/api/filters.py);
what they need beyond one column lives here.
"""

from __future__ import annotations

from django.db.models import DateField, F, Func
from django.db.models.functions import Coalesce, TruncDate


def published_date() -> Func:
    """The day a span's words were published: its article's publication date, else the day
    the article was added (pasted texts rarely carry a date)."""
    return TruncDate(
        Coalesce(F("article__published_at"), F("article__created_at")), output_field=DateField()
    )
