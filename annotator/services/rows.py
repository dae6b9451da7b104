"""Annotation rows written in a few statements: bulk creates, re-anchoring, merges.

Django's ``bulk_create`` (and simple-history's ``bulk_history_create``) compile every value of
every row through the ORM, which for thousands of spans costs seconds. Here the rows are built
once as plain tuples in the table's column order and sent in one prepared statement (SQLite)
or one COPY (PostgreSQL); the history rows are copied from the stored rows by one
``INSERT ... SELECT``, so a history row is always exactly what was stored. Only the services
call this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from django.db import connection
from django.utils import timezone

from ..models import Annotation
from ..search.schema import inserts_indexed_together

HISTORY_TYPES = {"create": "+", "change": "~", "delete": "-"}

# The columns a new row is written with, in this order (``id`` comes from the database).
INSERT_FIELDS = (
    "article",
    "revision",
    "label",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "attributes",
    "entity",
    "speaker",
    "status",
    "origin",
    "anchor_state",
    "author",
    "reviewer",
    "reviewed_at",
    "review_note",
    "version",
    "created_at",
    "updated_at",
    "deleted_at",
    "confidence",
    "suggester",
)


def _column(name: str) -> str:
    return Annotation._meta.get_field(name).column


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(connection.ops.quote_name(name) for name in names)


def db_datetime(value: datetime):
    """A timestamp as the database driver takes it (Django's own adaptation)."""
    return connection.ops.adapt_datetimefield_value(value)


def db_json(value) -> str:
    """A JSON column's value as text, which both databases take (and COPY needs)."""
    return orjson.dumps(value).decode()


def _id_filters(ids: Sequence[int]) -> list[tuple[str, list]]:
    """WHERE clauses that together pick exactly these ids, each with its parameters."""
    pk = connection.ops.quote_name("id")
    if connection.vendor == "postgresql":
        return [(f"{pk} = ANY(%s)", [list(ids)])]
    ordered = sorted(ids)
    if ordered[-1] - ordered[0] + 1 == len(ordered) == len(set(ordered)):
        return [(f"{pk} BETWEEN %s AND %s", [ordered[0], ordered[-1]])]
    step = 900
    return [
        (f"{pk} IN ({', '.join(['%s'] * len(ordered[i : i + step]))})", ordered[i : i + step])
        for i in range(0, len(ordered), step)
    ]


@dataclass(frozen=True)
class Written:
    """New annotations as they were inserted: their ids and, in the same order, the values
    written (``fields`` order, as adapted for the database), so an answer needs no read back."""

    ids: list[int]
    rows: list[tuple]
    fields: tuple[str, ...] = INSERT_FIELDS


def insert_annotations(rows: Sequence[tuple]) -> list[int]:
    """Insert rows (values in ``INSERT_FIELDS`` order, already adapted for the database) and
    return their new ids in the same order."""
    if not rows:
        return []
    table = connection.ops.quote_name(Annotation._meta.db_table)
    columns = [_column(name) for name in INSERT_FIELDS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Ids drawn from the table's own sequence first, then the rows streamed by COPY:
            # the fastest way into PostgreSQL, and the ids are known without RETURNING.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Annotation._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            copy_sql = f"COPY {table} ({_quoted(['id', *columns])}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for pk, row in zip(ids, rows, strict=True):
                    copy.write_row((pk, *row))
            return ids
        # SQLite: one prepared statement for every row. The transaction holds the database's
        # write lock from the first row on, and AUTOINCREMENT counts up, so the new ids are the
        # last len(rows) ones; the search index takes them in one statement.
        with inserts_indexed_together(cursor) as index:
            cursor.executemany(
                f"INSERT INTO {table} ({_quoted(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                list(rows),
            )
            cursor.execute(f"SELECT MAX({connection.ops.quote_name('id')}) FROM {table}")
            last = cursor.fetchone()[0]
            index(last - len(rows) + 1, last)
    return list(range(last - len(rows) + 1, last + 1))


def record_history(ids: Sequence[int], *, user, reason: str, kind: str = "change") -> None:
    """One history row per annotation, copied from its stored row as it is now."""
    if not ids:
        return
    history = Annotation.history.model
    copied = [
        field.column
        for field in history._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    table = connection.ops.quote_name(Annotation._meta.db_table)
    target = connection.ops.quote_name(history._meta.db_table)
    extra = ("history_date", "history_change_reason", "history_type", "history_user")
    extra_columns = [history._meta.get_field(name).column for name in extra]
    stamp = db_datetime(timezone.now())
    user_id = getattr(user, "pk", None)
    with connection.cursor() as cursor:
        for where, params in _id_filters(ids):
            cursor.execute(
                f"INSERT INTO {target} ({_quoted(copied)}, {_quoted(extra_columns)}) "
                f"SELECT {_quoted(copied)}, %s, %s, %s, %s FROM {table} WHERE {where}",
                [stamp, reason[:100], HISTORY_TYPES[kind], user_id, *params],
            )


def update_annotations(fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """Set ``fields`` of many annotations: each row is the new values (adapted for the
    database) followed by the annotation's id. One prepared statement, many parameter sets."""
    if not rows:
        return
    table = connection.ops.quote_name(Annotation._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(_column(name))} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE {connection.ops.quote_name('id')} = %s",
            list(rows),
        )
