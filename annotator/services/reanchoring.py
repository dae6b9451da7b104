"""Carrying an article's annotations over to a new revision of its text."""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from articles.models import Article, ArticleRevision

from ..anchoring import reanchor
from ..choices import AnchorState
from ..models import Annotation
from .rows import db_datetime, record_history, update_annotations

MOVED_FIELDS = (
    "start",
    "end",
    "prefix",
    "suffix",
    "revision",
    "anchor_state",
    "version",
    "updated_at",
)
ORPHANED_FIELDS = ("anchor_state", "version", "updated_at")


def reanchor_article(*, article: Article, revision: ArticleRevision, user) -> dict[str, int]:
    """Anchor every live annotation of ``article`` in ``revision`` (its new current text) and
    return how many were kept in place, moved and orphaned.

    Call it in the transaction that made the revision, under the article's lock. The
    annotations are read under their row locks: an edit that committed first is carried
    over, one that comes later finds a new version and is refused as stale, never lost.
    """
    text = revision.text
    current = (
        Annotation.objects.select_for_update()
        .filter(article=article, deleted_at__isnull=True)
        .order_by()
        .values_list("id", "start", "end", "quote", "prefix", "suffix", "version")
    )
    now = db_datetime(timezone.now())
    moved, orphaned, counts = [], [], Counter()
    for pk, start, end, quote, prefix, suffix, version in current:
        found = reanchor(text, start=start, end=end, quote=quote, prefix=prefix, suffix=suffix)
        if found is None:
            # Old offsets and quote kept, so an editor can repair it; exports leave it out.
            orphaned.append((AnchorState.ORPHANED, version + 1, now, pk))
            counts[AnchorState.ORPHANED] += 1
            continue
        span, state = found
        moved.append(
            (
                span.start,
                span.end,
                span.prefix,
                span.suffix,
                revision.pk,
                state,
                version + 1,
                now,
                pk,
            )
        )
        counts[state] += 1
    update_annotations(MOVED_FIELDS, moved)
    update_annotations(ORPHANED_FIELDS, orphaned)
    record_history(
        [row[-1] for row in moved] + [row[-1] for row in orphaned], user=user, reason="re-anchor"
    )
    return {state: counts[state] for state in AnchorState.values}
