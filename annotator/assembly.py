"""An article's annotations assembled for reading, from its cache or from their stored parts.

``ArticleAnnotationsCache`` holds, per article, every live annotation assembled as a JSON array
(and as CSV rows); a read that finds it cleared assembles the article from each annotation's
stored part (``representation``) and stores the result, unless a write came in between. Both
ways compare every span's slice of the text with its quote first, and leave out, report and
mark ``orphaned`` any span whose text is not its quote.
"""

from __future__ import annotations

import logging
from typing import Any

import orjson
from django.db import connection
from django.db.models import QuerySet

from articles.models import Article
from articles.services import text_sha256

from .anchoring import Utf16Index
from .dbio import execute_many, fetch
from .models import Annotation, ArticleAnnotationsCache
from .representation import Joins, json_array, json_objects, rows_with_parts

logger = logging.getLogger(__name__)

MISMATCH_REASON = "quote no longer matches the text"
# In assembled CSV rows, stands for the article's title cell: titles change without their
# annotations changing. Article texts never hold it (articles.services refuses NUL).
TITLE = b"\x00"


def orphaned_ids(annotations: QuerySet) -> list[int]:
    """Spans in scope whose quote was not found in their article's current text: exports leave
    them out. (Every other span's slice is still compared with its quote as it is written.)"""
    # Unordered in SQL, so the database starts from the anchor-state index: orphans are few.
    orphaned = annotations.filter(anchor_state=Annotation.AnchorState.ORPHANED).order_by()
    return sorted(orphaned.values_list("id", flat=True))


def mark_orphaned(ids: list[int]) -> None:
    if ids:
        logger.warning(
            "export: %d annotation(s) no longer match their text: %s", len(ids), ids[:50]
        )
        Annotation.objects.filter(pk__in=ids).update(anchor_state=Annotation.AnchorState.ORPHANED)


def assemble(
    part: str, article: dict[str, Any], rows: list[tuple], joins: Joins, orphaned: set[int]
) -> tuple[bytes, list[dict[str, Any]]]:
    """The article's annotations as the format's bytes, and the spans left out: never write a
    span whose text is not its quote."""
    text = article["text"]
    kept, skipped = [], []
    for row in rows:
        pk, _, _, _, _, start, end, quote, _ = row
        if pk in orphaned or text[start:end] != quote:
            skipped.append({"id": pk, "reason": MISMATCH_REASON})
        else:
            kept.append(row)
    utf16 = Utf16Index(text)
    if part == "json":
        return json_array(kept, joins, utf16), skipped
    heads, to16 = joins.heads(kept, csv=True), utf16.to_utf16
    return b"".join(
        [
            b"%d,%d,%b,%b,%d,%d,%d,%d,%b\r\n"
            % (
                pk, article["id"], TITLE, heads[label, author, reviewer],
                start, end, to16(start), to16(end), stored,
            )
            for pk, _, label, author, reviewer, start, end, _, stored in kept
        ]
    ), skipped  # fmt: skip


def store_in_cache(
    part: str,
    assembled: dict[int, tuple[bytes, list]],
    generations: dict[int, int],
    digests: dict[int, str],
) -> None:
    """Keep what was assembled; an article's row takes it only if no write cleared the row
    since its generation was read (else it would be older than the row). ``digests`` are the
    texts' SHA-256: the other part is dropped if it was checked against another text."""
    if not assembled:
        return
    quote, field = connection.ops.quote_name, ArticleAnnotationsCache._meta.get_field
    other = quote("csv" if part == "json" else "json")
    digest = quote("text_sha256")
    sql = (
        f"UPDATE {quote(ArticleAnnotationsCache._meta.db_table)} "
        f"SET {quote(part)} = %s, {quote('needs_repair')} = %s, {digest} = %s, "
        f"{other} = CASE WHEN {digest} = %s THEN {other} ELSE NULL END "
        f"WHERE {quote('article_id')} = %s AND {quote('generation')} = %s"
    )
    data_field, repair_field = field(part), field("needs_repair")
    execute_many(
        sql,
        [
            (
                data_field.get_db_prep_value(data, connection),
                repair_field.get_db_prep_value(skipped, connection),
                digests[pk],
                digests[pk],
                pk,
                generations[pk],
            )
            for pk, (data, skipped) in assembled.items()
        ],
    )


def annotations_ready(
    articles: dict[int, dict[str, Any]],
    annotations: QuerySet,
    *,
    part: str,
    whole: bool,
    orphaned: set[int] | frozenset[int],
    joins: Joins,
) -> dict[int, tuple[bytes, list[dict[str, Any]]]]:
    """Each article's annotations from ``annotations`` assembled as ``part`` ("json" or "csv"),
    with the spans left out. ``articles`` maps ids to dicts holding at least ``id`` and
    ``text``; ``whole`` says ``annotations`` is every live annotation of those articles, so the
    cache may serve and keep them."""
    ready: dict[int, tuple[bytes, list]] = {}
    generations: dict[int, int] = {}
    digests: dict[int, str] = {}
    if whole:
        cached = ArticleAnnotationsCache.objects.filter(article_id__in=list(articles))
        for pk, generation, stored, needs_repair, checked_against in fetch(
            cached.values_list("article_id", "generation", part, "needs_repair", "text_sha256")
        ):
            digests[pk] = text_sha256(articles[pk]["text"])
            if stored is not None and checked_against == digests[pk]:
                ready[pk] = (stored, needs_repair)
            else:
                generations[pk] = generation
    build = [pk for pk in articles if pk not in ready]
    if not build:
        return ready
    grouped: dict[int, list[tuple]] = {pk: [] for pk in build}
    rows = rows_with_parts(
        annotations.filter(article_id__in=build).order_by("article_id", "start", "end", "id"),
        "rendered_" + part,
    )
    for row in rows:
        grouped[row[1]].append(row)
    mismatched: list[int] = []
    storable = {}
    for pk in build:
        ready[pk] = assemble(part, articles[pk], grouped[pk], joins, orphaned)
        found = [s["id"] for s in ready[pk][1] if s["id"] not in orphaned]
        mismatched += found
        if pk in generations and not found:
            storable[pk] = ready[pk]
    store_in_cache(part, storable, generations, digests)
    mark_orphaned(mismatched)
    return ready


def article_annotations(article_id: int, text: str) -> orjson.Fragment:
    """Every live annotation of one article as a JSON array: the exportable ones as the cache
    holds them (text order, with UTF-16 offsets), then any left out for repair."""
    live = Annotation.objects.filter(article_id=article_id, deleted_at__isnull=True)
    joins = Joins()
    orphaned = set(orphaned_ids(live))
    (data, skipped) = annotations_ready(
        {article_id: {"id": article_id, "text": text}},
        live,
        part="json",
        whole=True,
        orphaned=orphaned,
        joins=joins,
    )[article_id]
    if not skipped:
        return orjson.Fragment(data)
    rows = rows_with_parts(live.filter(pk__in=[s["id"] for s in skipped]))
    repair = b",".join(json_objects(rows, joins))
    return orjson.Fragment(data[:-1] + (b"," if len(data) > 2 else b"") + repair + b"]")


def warm_caches(article_ids: list[int], batch: int = 50) -> None:
    """Assemble and store both parts of these articles' caches, as their next reads would."""
    ids = sorted(set(article_ids))
    joins = Joins()
    for offset in range(0, len(ids), batch):
        some = ids[offset : offset + batch]
        articles = {
            pk: {"id": pk, "text": text or ""}
            for pk, text in Article.objects.filter(pk__in=some).values_list(
                "id", "current_revision__text"
            )
        }
        live = Annotation.objects.filter(article_id__in=some, deleted_at__isnull=True)
        orphaned = set(orphaned_ids(live))
        for part in ("json", "csv"):
            annotations_ready(articles, live, part=part, whole=True, orphaned=orphaned, joins=joins)
