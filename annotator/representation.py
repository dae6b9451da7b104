"""The JSON shape of an annotation, defined once.

``MEMBERS`` lists every member an annotation has on the wire, what it is (the OpenAPI schema's
``AnnotationSerializer`` is built from it) and which column it comes from. Every read of
annotations (the API's list and detail, the article's feed, the exports) writes this shape
through ``annotation_objects``: rows fetched as plain values in one query, then turned into
dicts and serialised by orjson in one call, with no model instances on the way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Func, QuerySet, TextField
from django.db.models.functions import Cast
from rest_framework import serializers

from .anchoring import Utf16Index
from .choices import AnchorState, AnnotationStatus, Kind, Origin
from .models import Annotation, Label

# How a fetched value becomes the member's value (see ``_converters``).
AS_IS, LABEL_SLUG, LABEL_KIND, USERNAME, TIMESTAMP, ATTRIBUTES, UTF16, IS_SET = range(8)


@dataclass(frozen=True)
class Member:
    name: str
    schema: serializers.Field
    column: str
    convert: int = AS_IS


def _text(help_text: str = "", **kwargs) -> serializers.CharField:
    return serializers.CharField(help_text=help_text, allow_blank=True, **kwargs)


MEMBERS: tuple[Member, ...] = (
    Member("id", serializers.IntegerField(), "id"),
    Member("article", serializers.IntegerField(), "article_id"),
    Member("revision", serializers.IntegerField(help_text="The revision's id."), "revision_id"),
    Member("label", serializers.SlugField(), "label_id", LABEL_SLUG),
    Member("kind", serializers.ChoiceField(choices=Kind.choices), "label_id", LABEL_KIND),
    Member("start", serializers.IntegerField(help_text="Code point offset, inclusive."), "start"),
    Member("end", serializers.IntegerField(help_text="Code point offset, exclusive."), "end"),
    Member(
        "start_utf16",
        serializers.IntegerField(
            required=False,
            help_text="`start` in UTF-16 code units (JavaScript); in an article's feed and exports.",
        ),
        "start",
        UTF16,
    ),
    Member(
        "end_utf16",
        serializers.IntegerField(
            required=False,
            help_text="`end` in UTF-16 code units (JavaScript); in an article's feed and exports.",
        ),
        "end",
        UTF16,
    ),
    Member("quote", _text("The text at start-end."), "quote"),
    Member("prefix", _text("Up to 32 code points before the span."), "prefix"),
    Member("suffix", _text("Up to 32 code points after the span."), "suffix"),
    Member(
        "attributes",
        serializers.DictField(
            help_text="Per kind: a quote's speaker, speaker_name, attribution; a claim's "
            "check_worthiness, fact_check_state, verdict, verdict_note, sources; an entity "
            "span's entity."
        ),
        "attributes",
        ATTRIBUTES,
    ),
    Member("status", serializers.ChoiceField(choices=AnnotationStatus.choices), "status"),
    Member("origin", serializers.ChoiceField(choices=Origin.choices), "origin"),
    Member(
        "confidence",
        serializers.FloatField(allow_null=True, help_text="A suggestion's confidence, 0 to 1."),
        "confidence",
    ),
    Member(
        "suggester", _text("The suggester that proposed it (machine suggestions)."), "suggester"
    ),
    Member("author", serializers.CharField(), "author_id", USERNAME),
    Member("reviewer", serializers.CharField(allow_null=True), "reviewer_id", USERNAME),
    Member("reviewed_at", serializers.DateTimeField(allow_null=True), "reviewed_at", TIMESTAMP),
    Member("review_note", _text(), "review_note"),
    Member("version", serializers.IntegerField(help_text="Send it back with an edit."), "version"),
    Member("anchor_state", serializers.ChoiceField(choices=AnchorState.choices), "anchor_state"),
    Member("created_at", serializers.DateTimeField(), "created_at", TIMESTAMP),
    Member("updated_at", serializers.DateTimeField(), "updated_at", TIMESTAMP),
    Member("deleted", serializers.BooleanField(), "deleted_at", IS_SET),
)


class IsoTimestamp(Func):
    """A timestamp column written by the database in the API's one form: UTC, microseconds and
    a Z (one length, so timestamps sort as text), so no Python runs per value."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django stores UTC text, 'YYYY-MM-DD HH:MM:SS' with '.ffffff' unless it is zero.
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(substr({sql}, 1, 10) || 'T' || substr({sql}, 12, 8) || '.' "
            f"|| substr(substr({sql}, 21) || '000000', 1, 6) || 'Z')",
            params * 4,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"to_char(({sql}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')",
            params,
        )


# What a read fetches: each member's column once, plus the links the attributes carry. JSON
# comes as the database's text and timestamps as the API writes them, so no driver or ORM
# converts them per row.
_TIMESTAMPS = ("reviewed_at", "created_at", "updated_at")
_AS_TEXT = {"attributes": Cast, "reviewed_at": IsoTimestamp, "created_at": IsoTimestamp,
            "updated_at": IsoTimestamp, "deleted_at": Cast}  # fmt: skip
FETCHED: tuple[str, ...] = tuple(
    dict.fromkeys([*(m.column for m in MEMBERS), "entity_id", "speaker_id"])
)
INDEX = {name: position for position, name in enumerate(FETCHED)}


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The ``FETCHED`` values of these annotations, in the queryset's order: the query Django
    compiles, its rows as the driver gives them (none of its columns needs converting)."""
    texts = {
        f"{name}_text": (Cast(name, TextField()) if function is Cast else IsoTimestamp(name))
        for name, function in _AS_TEXT.items()
    }
    columns = [f"{name}_text" if name in _AS_TEXT else name for name in FETCHED]
    query = queryset.annotate(**texts).values_list(*columns).query
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: Django answers without asking the database
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Joins:
    """What rows point at by id, read once per request: labels and usernames."""

    def __init__(self) -> None:
        self.labels = {
            pk: (slug, kind) for pk, slug, kind in Label.objects.values_list("id", "slug", "kind")
        }
        self.users: dict[int | None, str | None] = {None: None}
        self._all_users = False

    def need_all_users(self) -> None:
        if not self._all_users:
            self.users.update(get_user_model().objects.values_list("id", "username"))
            self._all_users = True

    def need_users(self, ids: Iterable[int | None]) -> None:
        missing = set(ids) - self.users.keys()
        if missing and not self._all_users:
            self.users.update(
                get_user_model().objects.filter(pk__in=missing).values_list("id", "username")
            )


def attributes_text(raw: str | None, kind: str, entity: int | None, speaker: int | None) -> str:
    """The stored JSON of the attributes, with the link the kind carries: an entity span's
    ``entity``, a quote's ``speaker`` (stored as foreign keys so they can be queried)."""
    raw = raw if raw and raw != "null" else "{}"
    if kind == Kind.ENTITY:
        link = '"entity":' + ("null" if entity is None else str(entity))
    elif kind == Kind.QUOTE:
        link = '"speaker":' + ("null" if speaker is None else str(speaker))
    else:
        return raw
    body = raw.strip()[1:-1].strip()
    return "{" + (body + "," if body else "") + link + "}"


def _attributes(raw: str | None, kind: str, entity: int | None, speaker: int | None):
    return orjson.Fragment(attributes_text(raw, kind, entity, speaker))


_EXPRESSIONS = {
    AS_IS: "r[{i}]",
    LABEL_SLUG: "labels[r[{i}]][0]",
    LABEL_KIND: "labels[r[{i}]][1]",
    USERNAME: "users[r[{i}]]",
    TIMESTAMP: "r[{i}]",
    ATTRIBUTES: "attributes(r[{i}], labels[r[{label}]][1], r[{entity}], r[{speaker}])",
    UTF16: "to16(r[{i}])",
    IS_SET: "r[{i}] is not None",
}


@functools.cache
def _builder(with_utf16: bool, same_units: bool = False) -> Callable:
    """A function that turns rows into the wire shape, written out from ``MEMBERS`` once (as
    dataclasses write their methods): one dict display per row, no per-member calls."""

    def expression(member: Member) -> str:
        if same_units and member.convert == UTF16:
            # A text with no character beyond the BMP counts the same in both units.
            return _EXPRESSIONS[AS_IS]
        return _EXPRESSIONS[member.convert]

    members = ", ".join(
        f"{member.name!r}: "
        + expression(member).format(
            i=INDEX[member.column],
            label=INDEX["label_id"],
            entity=INDEX["entity_id"],
            speaker=INDEX["speaker_id"],
        )
        for member in MEMBERS
        if with_utf16 or member.convert != UTF16
    )
    namespace: dict[str, Any] = {}
    exec(  # noqa: S102 - the source is made of MEMBERS above, nothing from outside
        f"def build(rows, labels, users, to16, attributes):\n"
        f"    return [{{{members}}} for r in rows]\n",
        namespace,
    )
    return namespace["build"]


def annotation_objects(
    rows: list[tuple], joins: Joins, utf16: Utf16Index | None = None
) -> list[dict[str, Any]]:
    """``fetch_rows`` rows in the wire shape; with ``utf16``, the offsets in UTF-16 code units
    too (what the exports and the page's feed carry)."""
    author, reviewer = INDEX["author_id"], INDEX["reviewer_id"]
    joins.need_users({row[author] for row in rows} | {row[reviewer] for row in rows})
    build = _builder(utf16 is not None, utf16 is not None and utf16.is_identity)
    to16 = utf16.to_utf16 if utf16 is not None else None
    return build(rows, joins.labels, joins.users, to16, _attributes)


def annotations_json(queryset: QuerySet, joins: Joins | None = None) -> orjson.Fragment:
    """The annotations as one ready JSON array for a response (orjson embeds it as it is)."""
    return orjson.Fragment(orjson.dumps(annotation_objects(fetch_rows(queryset), joins or Joins())))


def created_json(
    article_id: int, ids: list[int], ordering: tuple[str, ...] = ("start", "end", "id")
) -> orjson.Fragment:
    """The annotations just created in an article, in text order (or ``ordering``). Read by
    the article and the range of the new ids (binding an id list of thousands costs more than
    reading the rows), any other rows in that range dropped."""
    if not ids:
        return orjson.Fragment(b"[]")
    made = set(ids)
    rows = fetch_rows(
        Annotation.objects.filter(
            article_id=article_id, id__gte=min(ids), id__lte=max(ids)
        ).order_by(*ordering)
    )
    made_rows = [row for row in rows if row[INDEX["id"]] in made]
    return orjson.Fragment(orjson.dumps(annotation_objects(made_rows, Joins())))


def _iso_timestamp(value: Any) -> str | None:
    """A timestamp as the driver was given it, in the form ``IsoTimestamp`` reads it back."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite's stored text, as Django adapts it
        return f"{value[:10]}T{value[11:19]}.{(value[20:] + '000000')[:6]}Z"
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def written_json(
    written: Any, ordering: tuple[str, ...] = ("start", "end", "id")
) -> orjson.Fragment:
    """Annotations a service just inserted (``services.rows.Written``), in text order (or
    ``ordering``), built from the values it wrote: the same shape as a read, without reading
    thousands of rows back."""
    position = {
        Annotation._meta.get_field(name).column: index for index, name in enumerate(written.fields)
    }
    timestamps = [INDEX[name] for name in _TIMESTAMPS]
    # A write stamps all its rows with one moment: format each distinct value once.
    formatted = functools.cache(_iso_timestamp)
    order = [None if name == "id" else position[name] for name in FETCHED]
    rows = []
    for pk, values in zip(written.ids, written.rows, strict=True):
        row = [pk if at is None else values[at] for at in order]
        for at in timestamps:
            row[at] = formatted(row[at])
        rows.append(tuple(row))
    keys = [INDEX[Annotation._meta.get_field(name).column] for name in ordering]
    rows.sort(key=lambda row: tuple(row[at] for at in keys))
    return orjson.Fragment(orjson.dumps(annotation_objects(rows, Joins())))


def annotation_json_of(pk: int) -> orjson.Fragment:
    (item,) = annotation_objects(fetch_rows(Annotation.objects.filter(pk=pk)), Joins())
    return orjson.Fragment(orjson.dumps(item))


AnnotationSerializer = type(
    "AnnotationSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "An annotation as every read shows it (built from representation.MEMBERS).",
        **{member.name: member.schema for member in MEMBERS},
    },
)
