"""Carrying an article's annotations over to a new revision of its text.

Each annotation is mapped from the text of the revision it is anchored to onto the new one
through their diff (``annotator/edits.py``), never searched for: untouched words keep their
tags, edited ones carry them along with what changed, and deleted or rewritten ones leave their
tags orphaned, with the old quote kept for repair.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db import connection
from django.utils import timezone

from articles.models import Article, ArticleRevision
from articles.textdiff import diff_texts

from ..choices import AnchorState, AnnotationStatus
from ..edits import Outcome, map_span_edits
from ..models import Annotation
from ..webhooks.events import emit
from .rows import db_datetime, record_history, update_annotations

PLACED_FIELDS = (
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "revision",
    "anchor_state",
    "status",
    "reviewer",
    "reviewed_at",
    "version",
    "updated_at",
)
ORPHANED_FIELDS = ("anchor_state", "version", "updated_at")

# A reviewed tag whose words changed is reviewed again.
REVIEWED = {AnnotationStatus.APPROVED, AnnotationStatus.REJECTED}

# history_change_reason holds 100 characters.
REASON_CHARS = 100

# Each re-anchored annotation's history row says what became of it: "re-anchor: <outcome>",
# then ": <what changed>" where there is something to say. The annotation page reads them
# back (selectors.reanchored_tags, through reanchor_reason) to step through the tags an edit
# touched: anchor_state alone cannot tell a changed tag from a kept one whose offsets shifted.
REASON_PREFIX = "re-anchor: "


def reanchor_article(*, article: Article, revision: ArticleRevision, user) -> dict[str, int]:
    """Anchor every live annotation of ``article`` in ``revision`` (its new current text) and
    return how many were kept, moved (their words untouched, carried elsewhere), changed
    (their words edited) and orphaned; the counts are also stored as the revision's
    ``anchoring`` summary.

    Call it in the transaction that made the revision, under the article's lock. The
    annotations are read under their row locks: an edit that committed first is carried
    over, one that comes later finds a new version and is refused as stale, never lost.
    """
    text = revision.text
    rows = (
        Annotation.objects.select_for_update()
        .filter(article=article, deleted_at__isnull=True)
        .order_by()
        .values_list(
            "id",
            "revision_id",
            "start",
            "end",
            "quote",
            "status",
            "reviewer_id",
            "reviewed_at",
            "version",
            "anchor_state",
        )
    )
    by_revision: dict[int, list[tuple]] = defaultdict(list)
    for row in rows:
        by_revision[row[1]].append(row)
    # Each annotation is mapped from the text its offsets belong to: the previous revision
    # for most, an older one for a tag orphaned before (a later edit may give its words back).
    texts = dict(ArticleRevision.objects.filter(pk__in=list(by_revision)).values_list("id", "text"))
    now = db_datetime(timezone.now())
    placed, orphaned, counts = [], [], Counter()
    reasons: dict[str, list[int]] = defaultdict(list)
    for revision_id, group in by_revision.items():
        if revision_id == revision.pk:
            continue
        old_text = texts.get(revision_id, "")
        # A row whose quote is not its revision's text there was never anchored to it.
        mappable = [row for row in group if old_text[row[2] : row[3]] == row[4]]
        for row in group:
            if old_text[row[2] : row[3]] != row[4]:
                orphaned.append((AnchorState.ORPHANED, row[8] + 1, now, row[0]))
                counts[Outcome.ORPHANED] += 1
                reasons[_reason("orphaned", "")].append(row[0])
        spans = [(row[2], row[3]) for row in mappable]
        results = map_span_edits(old_text, text, spans, diff=diff_texts(old_text, text))
        for row, result in zip(mappable, results, strict=True):
            pk, _, start, end, _, status, reviewer, reviewed_at, version, _ = row
            counts[result.outcome] += 1
            if result.outcome == Outcome.ORPHANED:
                orphaned.append((AnchorState.ORPHANED, version + 1, now, pk))
                reasons[_reason("orphaned", result.description)].append(pk)
                continue
            span = result.span
            same = (span.start, span.end) == (start, end) and result.outcome == Outcome.KEPT
            if result.outcome == Outcome.CHANGED and status in REVIEWED:
                status, reviewer, reviewed_at = AnnotationStatus.PENDING, None, None
            if reviewed_at is not None:
                reviewed_at = db_datetime(reviewed_at)
            placed.append(
                (
                    span.start,
                    span.end,
                    span.quote,
                    span.prefix,
                    span.suffix,
                    revision.pk,
                    AnchorState.ANCHORED if same else AnchorState.MOVED,
                    status,
                    reviewer,
                    reviewed_at,
                    version + 1,
                    now,
                    pk,
                )
            )
            if result.outcome == Outcome.CHANGED:
                reasons[_reason("changed", result.description)].append(pk)
            else:
                reasons[_reason(result.outcome, "")].append(pk)
    _update(PLACED_FIELDS, placed)
    _update(ORPHANED_FIELDS, orphaned)
    _record_reasons(reasons, user=user, marker=f"re-anchor r{revision.pk}")
    emit("annotation.updated", annotation_ids=[pk for ids in reasons.values() for pk in ids])
    summary = {outcome.value: counts[outcome] for outcome in Outcome}
    ArticleRevision.objects.filter(pk=revision.pk).update(anchoring=summary)
    revision.anchoring = summary
    return summary


def _record_reasons(reasons: dict[str, list[int]], *, user, marker: str) -> None:
    """One history row per annotation with its own reason, in two statements whatever the
    number of reasons: the rows are copied under a marker, then each gets its reason."""
    ids = [pk for group in reasons.values() for pk in group]
    record_history(ids, user=user, reason=marker)
    history = Annotation.history.model._meta
    table = connection.ops.quote_name(history.db_table)
    reason = connection.ops.quote_name(history.get_field("history_change_reason").column)
    pk = connection.ops.quote_name(history.get_field("id").column)
    pairs = [(annotation, text) for text, group in reasons.items() for annotation in group]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} AS h SET {reason} = v.reason "
                "FROM (SELECT unnest(%s::bigint[]) AS id, unnest(%s::text[]) AS reason) AS v "
                f"WHERE h.{pk} = v.id AND h.{reason} = %s",
                [[a for a, _ in pairs], [t for _, t in pairs], marker],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {reason} = %s WHERE {pk} = %s AND {reason} = %s",
                [(text, annotation, marker) for annotation, text in pairs],
            )


def _update(fields: tuple[str, ...], rows: list[tuple]) -> None:
    """``update_annotations``, in one statement on PostgreSQL: there a prepared statement run
    once per row costs a round trip each (two seconds for 5,000 rows on a busy server), so the
    rows go as one array per column."""
    if connection.vendor != "postgresql" or not rows:
        update_annotations(fields, rows)
        return
    meta = Annotation._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in columns)
    selects = ", ".join(
        f"unnest(%s::{f.db_type(connection)}[]) AS {quote(f.column)}" for f in columns
    )
    sql = (
        f"UPDATE {quote(meta.db_table)} AS a SET {assignments} "
        f"FROM (SELECT {selects}, unnest(%s::bigint[]) AS id) AS v WHERE a.{quote('id')} = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])


def _reason(outcome: str, description: str) -> str:
    reason = f"{REASON_PREFIX}{outcome}: {description}" if description else REASON_PREFIX + outcome
    return reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 1] + "…"


def reanchor_reason(reason: str) -> tuple[Outcome, str] | None:
    """The outcome a history reason written here records, and what it says changed; None for
    any other reason (the marker ``re-anchor r<pk>`` included)."""
    if not reason.startswith(REASON_PREFIX):
        return None
    outcome, _, what = reason.removeprefix(REASON_PREFIX).partition(": ")
    if outcome not in Outcome:
        return None
    return Outcome(outcome), what
