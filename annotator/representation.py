"""The JSON shape of an annotation, built straight from database rows.

The API list, the article's annotation feed, the page's embedded data and the exports all emit
this one shape; building it from ``values_list`` rows rather than model instances is what keeps
an article with thousands of annotations fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from .models import Kind

COLUMNS = (
    "id",
    "article_id",
    "revision_id",
    "label__slug",
    "label__kind",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "attributes",
    "entity_id",
    "speaker_id",
    "status",
    "origin",
    "author__username",
    "reviewer__username",
    "reviewed_at",
    "review_note",
    "version",
    "anchor_state",
    "created_at",
    "updated_at",
    "deleted_at",
)


def _iso(value) -> str | None:
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def row_to_dict(row: tuple) -> dict[str, Any]:
    (
        pk, article, revision, label, kind, start, end, quote, prefix, suffix, attributes,
        entity, speaker, status, origin, author, reviewer, reviewed_at, review_note, version,
        anchor_state, created_at, updated_at, deleted_at,
    ) = row  # fmt: skip
    attributes = dict(attributes or {})
    if kind == Kind.ENTITY:
        attributes["entity"] = entity
    elif kind == Kind.QUOTE:
        attributes["speaker"] = speaker
    return {
        "id": pk,
        "article": article,
        "revision": revision,
        "label": label,
        "kind": kind,
        "start": start,
        "end": end,
        "quote": quote,
        "prefix": prefix,
        "suffix": suffix,
        "attributes": attributes,
        "status": status,
        "origin": origin,
        "author": author,
        "reviewer": reviewer,
        "reviewed_at": _iso(reviewed_at),
        "review_note": review_note,
        "version": version,
        "anchor_state": anchor_state,
        "created_at": _iso(created_at),
        "updated_at": _iso(updated_at),
        "deleted": deleted_at is not None,
    }


def annotation_dicts(
    queryset: QuerySet, *, chunk_size: int | None = None
) -> Iterator[dict[str, Any]]:
    rows = queryset.values_list(*COLUMNS)
    if chunk_size:
        rows = rows.iterator(chunk_size=chunk_size)
    for row in rows:
        yield row_to_dict(row)
