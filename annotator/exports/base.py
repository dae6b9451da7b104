"""What every export shares: the scope and batched reads (each article's annotations come
assembled and checked against its text by ``assembly``, from the cache when it can).

Articles are read in batches (a few queries a batch), so memory holds one batch however large
the export, and the number of queries grows with articles / batch size, not with annotations.

An export of everything an article holds (no filter but ``article``) is served from the cache
of assembled annotations (and fills it); a filtered export assembles from the rows each time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import orjson
from django.db.models import QuerySet

from articles.models import Article

from ..assembly import assembled
from ..choices import AnchorState
from ..models import Relation
from ..representation import Joins

ARTICLE_BATCH = 50

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
    "current_revision_id",
)


@dataclass
class ArticleExport:
    """One article and its exportable annotations, assembled as the format asked: ``ready``
    is a JSON array (``part="json"``) or CSV rows with ``TITLE`` for the title cell."""

    article: dict[str, Any]
    ready: bytes
    skipped: list[dict[str, Any]] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article["text"]

    @cached_property
    def annotations(self) -> list[dict[str, Any]]:
        """The JSON array as dicts, for formats that reshape them."""
        return orjson.loads(self.ready)


def _article_dict(row: tuple) -> dict[str, Any]:
    pk, title, byline, url, published, language, status, revision, text, updated, revision_id = row
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
        "revision_id": revision_id,
    }


@dataclass
class Scope:
    """What one export covers, decided before the stream starts."""

    live: QuerySet  # the live annotations that match the filters (readability is per article)
    readable_live: QuerySet  # those of them in articles the user may read
    article_ids: list[int]  # the readable articles to go through, in order
    whole: bool  # no filter but ``article``: every live annotation of those articles
    named: frozenset[int]  # asked for by ``article``: exported even when empty
    orphaned: list[int]  # in scope, left out, reported in the response's header
    deleted: QuerySet | None  # deleted annotations a mirror must hear about


def export_scope(
    user, matching: QuerySet, *, article: int | None, filtered: bool, with_deleted: bool
) -> Scope:
    """``matching``: the annotations (deleted ones too) that match the request's filters;
    ``filtered``: whether any filter but ``article`` narrowed them."""
    readable = Article.objects.visible_to(user)
    if article:
        readable = readable.filter(pk=article)
    live = matching.filter(deleted_at__isnull=True)
    readable_live = live.filter(article__in=readable)
    deleted = matching.filter(deleted_at__isnull=False) if with_deleted else None
    if filtered or deleted is not None:
        ids = set(readable_live.order_by().values_list("article_id", flat=True).distinct())
        if deleted is not None:
            gone = deleted.filter(article__in=readable).order_by().values_list("article_id")
            ids.update(gone.distinct().values_list("article_id", flat=True))
        ids.update(readable.values_list("id", flat=True) if article else ())
        article_ids = sorted(ids)
    else:
        article_ids = list(readable.order_by("id").values_list("id", flat=True))
    return Scope(
        live=live,
        readable_live=readable_live,
        article_ids=article_ids,
        whole=not filtered and deleted is None,
        named=frozenset(article_ids if article else ()),
        orphaned=orphaned_ids(readable_live),
        deleted=deleted,
    )


def orphaned_ids(annotations: QuerySet) -> list[int]:
    """Spans in scope that a new revision of their text orphaned: exports leave them out and
    count them in a header. (Every other span's slice is still compared with its quote.)"""
    # Unordered in SQL, so the database starts from the anchor-state index: orphans are few.
    orphaned = annotations.filter(anchor_state=AnchorState.ORPHANED).order_by()
    return sorted(orphaned.values_list("id", flat=True))


def iter_articles(
    annotations: QuerySet,
    article_ids: Iterable[int],
    *,
    part: str = "json",
    whole: bool = False,
    named: frozenset[int] = frozenset(),
    deleted: QuerySet | None = None,
    with_relations: bool = False,
) -> Iterator[ArticleExport]:
    """Yield each of ``article_ids`` (in order) that has something to export, with its live
    annotations from ``annotations`` in text order; ``named`` articles come even when empty.

    ``whole`` says ``annotations`` is every live annotation of these articles, so the cache
    may serve them. ``deleted`` holds the deleted annotations a mirror must hear about.
    """
    joins = Joins()
    ordered = list(article_ids)
    for offset in range(0, len(ordered), ARTICLE_BATCH):
        batch = ordered[offset : offset + ARTICLE_BATCH]
        articles = {
            row[0]: _article_dict(row)
            for row in Article.objects.filter(pk__in=batch).values_list(*ARTICLE_COLUMNS)
        }
        ready = assembled(articles, annotations, part=part, whole=whole, joins=joins)
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
        for pk in batch:
            if pk not in articles or pk not in ready:
                continue
            stored, skipped = ready[pk].data, ready[pk].skipped
            empty = stored in (b"[]", b"")
            if empty and not skipped and not gone[pk] and pk not in named:
                continue
            yield ArticleExport(
                article=articles[pk],
                ready=stored,
                skipped=skipped,
                relations=relations[pk],
                deleted=gone[pk],
            )
