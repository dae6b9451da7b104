"""What every export shares: the scope, batched reads, and the quote check before writing.

Articles are read in batches with their annotations (two queries a batch), so memory holds one
batch however large the export, and the number of queries grows with articles / batch size,
not with annotations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson
from django.db.models import F, Q, QuerySet

from articles.models import Article

from ..anchoring import Utf16Index
from ..models import Annotation, Relation
from ..representation import Joins, annotation_json, rows_with_parts

logger = logging.getLogger(__name__)

ARTICLE_BATCH = 50
MISMATCH_REASON = "quote no longer matches the text"

ARTICLE_COLUMNS = (
    "id",
    "title",
    "byline",
    "source_url",
    "published_at",
    "language",
    "status",
    "current_revision__number",
    "current_revision__text",
    "updated_at",
)


@dataclass
class ArticleExport:
    """One article and its exportable spans: ``rows`` are ``representation.ROW`` plus the
    stored part the format asked for, in text order, each checked against the text."""

    article: dict[str, Any]
    rows: list[tuple]
    utf16: Utf16Index
    joins: Joins
    skipped: list[dict[str, Any]] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article["text"]

    def json_items(self) -> list[bytes]:
        """Each annotation as a JSON object, with its UTF-16 offsets."""
        return [annotation_json(row, self.joins, self.utf16) for row in self.rows]

    @cached_property
    def annotations(self) -> list[dict[str, Any]]:
        """The same as dicts, for formats that reshape them."""
        return orjson.loads(b"[" + b",".join(self.json_items()) + b"]")


def needs_repair_ids(annotations: QuerySet) -> list[int]:
    """Spans in scope that an export must leave out: orphaned ones, and any anchored to a
    revision that is no longer current.

    Revision texts never change, and every write checks a span against the revision it names,
    so these are the only spans whose quote can differ from the text; a cheap query finds them
    before the stream starts. (The stream still compares every slice with its quote.)
    """
    return list(
        annotations.filter(
            Q(anchor_state=Annotation.AnchorState.ORPHANED)
            | ~Q(revision_id=F("article__current_revision_id"))
        ).values_list("id", flat=True)
    )


def mark_orphaned(ids: list[int]) -> None:
    if ids:
        logger.warning(
            "export: %d annotation(s) no longer match their text: %s", len(ids), ids[:50]
        )
        Annotation.objects.filter(pk__in=ids).update(anchor_state=Annotation.AnchorState.ORPHANED)


def _article_dict(row: tuple) -> dict[str, Any]:
    pk, title, byline, url, published, language, status, revision, text, updated = row
    return {
        "id": pk,
        "title": title,
        "byline": byline,
        "source_url": url,
        "published_at": published.isoformat() if published else None,
        "language": language,
        "status": status,
        "revision": revision,
        "text": text or "",
        "updated_at": updated.isoformat(),
    }


def iter_articles(
    annotations: QuerySet,
    *,
    part: str = "rendered_json",
    needs_repair: set[int] | frozenset[int] = frozenset(),
    article_ids: list[int] | None = None,
    deleted: QuerySet | None = None,
    with_relations: bool = False,
) -> Iterator[ArticleExport]:
    """Yield each article in scope with its annotations in text order.

    ``annotations`` is the filtered queryset of live annotations; an article is in scope when
    one of its annotations is, when it is named in ``article_ids``, or when ``deleted`` (the
    deleted annotations a mirror must hear about) has one of its annotations. ``part`` is the
    stored rendering the format writes; spans in ``needs_repair`` are left out and reported.
    """
    ids = set(annotations.order_by().values_list("article_id", flat=True).distinct())
    if article_ids:
        ids.update(Article.objects.alive().filter(pk__in=article_ids).values_list("id", flat=True))
    if deleted is not None:
        ids.update(deleted.order_by().values_list("article_id", flat=True).distinct())
    ordered = sorted(ids)
    joins = Joins()
    for offset in range(0, len(ordered), ARTICLE_BATCH):
        batch = ordered[offset : offset + ARTICLE_BATCH]
        articles = {
            row[0]: _article_dict(row)
            for row in Article.objects.filter(pk__in=batch).values_list(*ARTICLE_COLUMNS)
        }
        grouped: dict[int, list[tuple]] = {pk: [] for pk in batch}
        rows = rows_with_parts(
            annotations.filter(article_id__in=batch).order_by("article_id", "start", "end", "id"),
            part,
        )
        joins.need_users(user for row in rows for user in (row[3], row[4]))
        for row in rows:
            grouped[row[1]].append(row)
        relations: dict[int, list] = {pk: [] for pk in batch}
        if with_relations:
            for article_id, *relation in Relation.objects.filter(article_id__in=batch).values_list(
                "article_id", "source_id", "target_id", "type"
            ):
                relations[article_id].append(tuple(relation))
        gone: dict[int, list[int]] = {pk: [] for pk in batch}
        if deleted is not None:
            for article_id, pk in deleted.filter(article_id__in=batch).values_list(
                "article_id", "id"
            ):
                gone[article_id].append(pk)
        exports = [_checked(articles[pk], grouped[pk], joins, needs_repair) for pk in batch]
        mark_orphaned([s["id"] for e in exports for s in e.skipped if s["id"] not in needs_repair])
        for pk, export in zip(batch, exports, strict=True):
            export.relations, export.deleted = relations[pk], gone[pk]
            yield export


def _checked(
    article: dict[str, Any],
    rows: list[tuple],
    joins: Joins,
    needs_repair: set[int] | frozenset[int],
) -> ArticleExport:
    """Never write a span whose text is not its quote; keep it aside to report instead."""
    text = article["text"]
    kept, skipped = [], []
    for row in rows:
        pk, _, _, _, _, start, end, quote, _ = row
        if pk in needs_repair or text[start:end] != quote:
            skipped.append({"id": pk, "reason": MISMATCH_REASON})
        else:
            kept.append(row)
    return ArticleExport(
        article=article, rows=kept, utf16=Utf16Index(text), joins=joins, skipped=skipped
    )
