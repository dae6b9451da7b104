"""The JSON (and CSV) shape of an annotation, kept ready-made in the database.

Every read of annotations (the API list, the article's feed, the page's data, the exports)
emits one shape. Building it per request from two dozen columns was the whole cost of an
export: the database driver turning each column into a Python object, then a dict, then JSON.
So each annotation stores its own part of the shape, rendered when the row is written
(``Annotation.rendered_json`` / ``rendered_csv``, see ``RenderedField``), and a read joins the
stored parts with what lives in other tables (label slug and kind, usernames: these can change
without the annotation changing, so they are never stored in it) and the id.

A stored part is cleared by any ``update()`` that does not write it (``AnnotationQuerySet``),
and a read renders any cleared part again before using it (``refresh_rendered``), so a stored
part is never older than its row. Raw SQL that changes annotation rows must set both columns
to NULL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet

from .dbio import fetch
from .models import Annotation, Kind, Label

if TYPE_CHECKING:
    from .anchoring import Utf16Index

# What a read fetches per annotation: the id and foreign keys it joins by, the span it checks
# against the text, and the stored part.
ROW = ("id", "article_id", "label_id", "author_id", "reviewer_id", "start", "end", "quote")

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (OWASP "CSV injection"); a leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def iso_timestamp(value: datetime | None) -> str | None:
    """UTC with microseconds and a Z: one length, so timestamps sort as text."""
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _attributes(annotation: Annotation, kind: str) -> dict[str, Any]:
    attributes = dict(annotation.attributes or {})
    if kind == Kind.ENTITY:
        attributes["entity"] = annotation.entity_id
    elif kind == Kind.QUOTE:
        attributes["speaker"] = annotation.speaker_id
    return attributes


def render_json(annotation: Annotation) -> bytes:
    """The annotation's own JSON members, without braces, id, label and people."""
    body = orjson.dumps(
        {
            "article": annotation.article_id,
            "revision": annotation.revision_id,
            "start": annotation.start,
            "end": annotation.end,
            "quote": annotation.quote,
            "prefix": annotation.prefix,
            "suffix": annotation.suffix,
            "attributes": _attributes(annotation, annotation.label.kind),
            "status": annotation.status,
            "origin": annotation.origin,
            "reviewed_at": iso_timestamp(annotation.reviewed_at),
            "review_note": annotation.review_note,
            "version": annotation.version,
            "anchor_state": annotation.anchor_state,
            "created_at": iso_timestamp(annotation.created_at),
            "updated_at": iso_timestamp(annotation.updated_at),
            "deleted": annotation.deleted_at is not None,
        }
    )
    return body[1:-1]


def csv_line(cells: Iterable[Any]) -> str:
    """Cells as one CSV line (quoted where needed), without its line end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()[:-2]


def render_csv(annotation: Annotation) -> bytes:
    """The annotation's own CSV cells, from ``quote`` on (see ``exports.csv_rows.HEADER``)."""
    attributes = _attributes(annotation, annotation.label.kind)
    safe = spreadsheet_safe
    return csv_line(
        (
            safe(annotation.quote), safe(annotation.prefix), safe(annotation.suffix),
            annotation.status, annotation.origin, attributes.get("entity") or "",
            attributes.get("speaker") or "",
            safe(orjson.dumps(attributes).decode()) if attributes else "",
            annotation.version, iso_timestamp(annotation.created_at),
            iso_timestamp(annotation.updated_at),
        )
    ).encode()  # fmt: skip


def refresh_rendered(ids: Iterable[int]) -> None:
    """Render and store the parts of these annotations again, under their row locks, so a
    write that lands meanwhile cannot be overwritten with an older rendering."""
    ids = list(ids)
    if not ids:
        return
    with transaction.atomic():
        annotations = list(
            Annotation.objects.select_for_update(of=("self",))
            .select_related("label")
            .filter(pk__in=ids)
        )
        Annotation.objects.bulk_update(annotations, [], batch_size=500)


def with_fresh_parts(rows: list[tuple], part: str = "rendered_json") -> list[tuple]:
    """The rows with any part cleared since it was written rendered again (and stored)."""
    stale = [row[0] for row in rows if row[-1] is None]
    if not stale:
        return rows
    refresh_rendered(stale)
    fresh = dict(fetch(Annotation.objects.filter(pk__in=stale).values_list("id", part)))
    rows = [row if row[-1] is not None else (*row[:-1], fresh.get(row[0])) for row in rows]
    # A row deleted meanwhile has nothing to show.
    return [row for row in rows if row[-1] is not None]


def rows_with_parts(queryset: QuerySet, part: str = "rendered_json") -> list[tuple]:
    """``ROW`` plus the stored ``part`` of each annotation, in the queryset's order."""
    return with_fresh_parts(fetch(queryset.values_list(*ROW, part)), part)


class Joins:
    """What a stored part leaves out, read once per request: labels and usernames, ready as
    JSON members and as CSV cells."""

    def __init__(self) -> None:
        self.labels: dict[int, bytes] = {}
        self.label_cells: dict[int, bytes] = {}
        for pk, slug, kind in Label.objects.values_list("id", "slug", "kind"):
            self.labels[pk] = orjson.dumps({"label": slug, "kind": kind})[1:-1]
            self.label_cells[pk] = csv_line([slug, kind]).encode()
        self.people: dict[int | None, bytes] = {None: b"null"}
        self.people_cells: dict[int | None, bytes] = {None: b""}
        self._heads: dict[tuple, bytes] = {}
        self._csv_heads: dict[tuple, bytes] = {}

    def need_users(self, ids: Iterable[int | None]) -> None:
        missing = set(ids) - self.people.keys()
        if missing:
            for pk, username in (
                get_user_model().objects.filter(pk__in=missing).values_list("id", "username")
            ):
                self.people[pk] = orjson.dumps(username)
                self.people_cells[pk] = csv_line([spreadsheet_safe(username)]).encode()

    def heads(self, rows: list[tuple], *, csv: bool = False) -> dict[tuple, bytes]:
        """For each (label, author, reviewer) of these ``ROW`` rows, its members ready to
        write: JSON (label, kind, author, reviewer) or CSV cells (label, kind, people)."""
        keys = {(row[2], row[3], row[4]) for row in rows}
        self.need_users({key[1] for key in keys} | {key[2] for key in keys})
        heads = self._csv_heads if csv else self._heads
        for key in keys - heads.keys():
            label, author, reviewer = key
            if csv:
                heads[key] = b"%b,%b,%b" % (
                    self.label_cells[label],
                    self.people_cells[author],
                    self.people_cells[reviewer],
                )
            else:
                heads[key] = b'%b,"author":%b,"reviewer":%b' % (
                    self.labels[label],
                    self.people[author],
                    self.people[reviewer],
                )
        return heads


def json_objects(rows: list[tuple], joins: Joins, utf16: Utf16Index | None = None) -> list[bytes]:
    """Each ``rows_with_parts`` row as a JSON object; with ``utf16``, the offsets in UTF-16
    code units too (what the exports and the page's feed carry)."""
    heads = joins.heads(rows)
    if utf16 is None:
        return [
            b'{"id":%d,%b,%b}' % (pk, heads[label, author, reviewer], part)
            for pk, _, label, author, reviewer, _, _, _, part in rows
        ]
    to16 = utf16.to_utf16
    return [
        b'{"id":%d,%b,"start_utf16":%d,"end_utf16":%d,%b}'
        % (pk, heads[label, author, reviewer], to16(start), to16(end), part)
        for pk, _, label, author, reviewer, start, end, _, part in rows
    ]


def json_array(rows: list[tuple], joins: Joins, utf16: Utf16Index | None = None) -> bytes:
    return b"[" + b",".join(json_objects(rows, joins, utf16)) + b"]"


def annotations_json(queryset: QuerySet) -> orjson.Fragment:
    """The annotations as one ready JSON array for a response (orjson embeds it as it is)."""
    return orjson.Fragment(json_array(rows_with_parts(queryset), Joins()))


def annotation_json_of(pk: int) -> orjson.Fragment:
    (item,) = json_objects(rows_with_parts(Annotation.objects.filter(pk=pk)), Joins())
    return orjson.Fragment(item)
