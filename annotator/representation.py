"""The JSON shape of an annotation, built straight from database rows.

The API list, the article's annotation feed, the page's embedded data and the exports all emit
this one shape; building it from ``values_list`` rows rather than model instances is what keeps
an article with thousands of annotations fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.db.models import Func, QuerySet, TextField
from django.db.models.functions import Cast

from .models import Kind


class IsoTimestamp(Func):
    """A timestamp as ISO 8601 text in UTC, written by the database.

    Converting tens of thousands of timestamps to datetime objects and back to text is most of
    an export's time in Python; the database does it for almost nothing.
    """

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores "YYYY-MM-DD HH:MM:SS[.ffffff]" in UTC on SQLite, without the fraction
        # when it is zero; it is added, so every timestamp has one length and sorts as text.
        template = (
            "(REPLACE(%(expressions)s, ' ', 'T') "
            "|| CASE WHEN INSTR(%(expressions)s, '.') = 0 THEN '.000000Z' ELSE 'Z' END)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="""TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')""",
            **extra,
        )


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
    Cast("attributes", TextField()),
    "entity_id",
    "speaker_id",
    "status",
    "origin",
    "author__username",
    "reviewer__username",
    IsoTimestamp("reviewed_at"),
    "review_note",
    "version",
    "anchor_state",
    IsoTimestamp("created_at"),
    IsoTimestamp("updated_at"),
    IsoTimestamp("deleted_at"),
)


def row_to_dict(row: tuple) -> dict[str, Any]:
    (
        pk, article, revision, label, kind, start, end, quote, prefix, suffix, attributes,
        entity, speaker, status, origin, author, reviewer, reviewed_at, review_note, version,
        anchor_state, created_at, updated_at, deleted_at,
    ) = row  # fmt: skip
    attributes = {} if attributes == "{}" else json.loads(attributes)
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
        "reviewed_at": reviewed_at,
        "review_note": review_note,
        "version": version,
        "anchor_state": anchor_state,
        "created_at": created_at,
        "updated_at": updated_at,
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
