"""The JSON shape of an annotation, defined once.

``MEMBERS`` lists every member an annotation has on the wire, what it is (the OpenAPI schema's
``AnnotationSerializer`` is built from it) and which column it comes from. Every read of
annotations (the API's list and detail, the article's feed, the exports) writes this shape
through ``annotation_objects``: rows fetched as plain values in one query, then turned into
dicts and serialised by orjson in one call, with no model instances on the way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.db.models import QuerySet, TextField
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

# What a read fetches: each member's column once, plus the links the attributes carry. JSON
# and timestamps come as the database's text, so no driver or ORM converts them per row.
_AS_TEXT = {"attributes", "reviewed_at", "created_at", "updated_at", "deleted_at"}
FETCHED: tuple[str, ...] = tuple(
    dict.fromkeys([*(m.column for m in MEMBERS), "entity_id", "speaker_id"])
)
INDEX = {name: position for position, name in enumerate(FETCHED)}


def fetch_rows(queryset: QuerySet) -> list[tuple]:
    """The ``FETCHED`` values of these annotations, in the queryset's order."""
    texts = {f"{name}_text": Cast(name, TextField()) for name in _AS_TEXT}
    columns = [f"{name}_text" if name in _AS_TEXT else name for name in FETCHED]
    return list(queryset.annotate(**texts).values_list(*columns))


def iso_timestamp(text: str | None) -> str | None:
    """A timestamp as the database writes it as text, in the API's one form: UTC, microseconds,
    a Z (one length, so timestamps sort as text).

    SQLite stores ``2026-05-04 10:00:00[.123456]`` in UTC; PostgreSQL, whose sessions Django
    keeps in UTC, writes ``2026-05-04 10:00:00[.12]+00``.
    """
    if text is None:
        return None
    if text.endswith("+00"):
        text = text[:-3]
    day, _, time = text.replace("T", " ").partition(" ")
    seconds, _, fraction = time.partition(".")
    return f"{day}T{seconds}.{fraction:0<6}Z"


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


def _attributes(kind_of: Callable, entity: int, speaker: int) -> Callable:
    """The stored JSON of the attributes, with the link the kind carries: an entity span's
    ``entity``, a quote's ``speaker`` (stored as foreign keys so they can be queried)."""

    def convert(raw: str | None, row: tuple) -> orjson.Fragment:
        raw = raw if raw and raw != "null" else "{}"
        kind = kind_of(row)
        if kind == Kind.ENTITY:
            key, value = "entity", row[entity]
        elif kind == Kind.QUOTE:
            key, value = "speaker", row[speaker]
        else:
            return orjson.Fragment(raw)
        link = b'"%b":%b' % (key.encode(), b"null" if value is None else str(value).encode())
        body = raw.encode().strip()[1:-1].strip()
        return orjson.Fragment(b"{" + (body + b"," if body else b"") + link + b"}")

    return convert


def _converters(joins: Joins, utf16: Utf16Index | None) -> list[tuple[str, int, Callable | None]]:
    labels, users = joins.labels, joins.users
    label_at = INDEX["label_id"]

    def kind_of(row: tuple) -> str:
        return labels[row[label_at]][1]

    by_kind: dict[int, Callable | None] = {
        AS_IS: None,
        LABEL_SLUG: lambda value, row: labels[value][0],
        LABEL_KIND: lambda value, row: labels[value][1],
        USERNAME: lambda value, row: users[value],
        TIMESTAMP: lambda value, row: iso_timestamp(value),
        ATTRIBUTES: _attributes(kind_of, INDEX["entity_id"], INDEX["speaker_id"]),
        IS_SET: lambda value, row: value is not None,
    }
    plan = []
    for member in MEMBERS:
        if member.convert == UTF16:
            if utf16 is None:
                continue
            to16 = utf16.to_utf16
            plan.append((member.name, INDEX[member.column], lambda value, row, f=to16: f(value)))
        else:
            plan.append((member.name, INDEX[member.column], by_kind[member.convert]))
    return plan


def annotation_objects(
    rows: list[tuple], joins: Joins, utf16: Utf16Index | None = None
) -> list[dict[str, Any]]:
    """``fetch_rows`` rows in the wire shape; with ``utf16``, the offsets in UTF-16 code units
    too (what the exports and the page's feed carry)."""
    joins.need_users(
        {row[INDEX["author_id"]] for row in rows} | {row[INDEX["reviewer_id"]] for row in rows}
    )
    plan = _converters(joins, utf16)
    return [
        {name: value if f is None else f(value, row) for name, i, f in plan for value in (row[i],)}
        for row in rows
    ]


def annotations_json(queryset: QuerySet, joins: Joins | None = None) -> orjson.Fragment:
    """The annotations as one ready JSON array for a response (orjson embeds it as it is)."""
    return orjson.Fragment(orjson.dumps(annotation_objects(fetch_rows(queryset), joins or Joins())))


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
