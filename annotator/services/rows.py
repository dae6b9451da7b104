"""Annotation rows written in a few statements: bulk creates, re-anchoring, merges.

Django's ``bulk_create`` (and simple-history's ``bulk_history_create``) compile every value of
every row through the ORM, which for thousands of spans costs seconds. Here the rows are built
once as plain tuples in the table's column order and sent as multi-row INSERTs; the history
rows are copied from the stored rows by one ``INSERT ... SELECT``, so a history row is always
exactly what was stored. Only the services call this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection
from django.utils import timezone

from ..models import Annotation

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


def db_json(value) -> object:
    return connection.ops.adapt_json_value(value, None)


def _rows_per_statement(columns: int) -> int:
    limit = connection.features.max_query_params or 60_000
    return max(1, min(1000, limit // columns))


def insert_annotations(rows: Sequence[tuple]) -> list[int]:
    """Insert rows (values in ``INSERT_FIELDS`` order, already adapted for the database) and
    return their new ids in the same order."""
    table = connection.ops.quote_name(Annotation._meta.db_table)
    columns = _quoted(_column(name) for name in INSERT_FIELDS)
    one = "(" + ", ".join(["%s"] * len(INSERT_FIELDS)) + ")"
    step = _rows_per_statement(len(INSERT_FIELDS))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), step):
            chunk = rows[offset : offset + step]
            # Both databases give RETURNING rows in VALUES order (Django's bulk_create relies
            # on it too).
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))} "
                f"RETURNING {connection.ops.quote_name('id')}",
                [value for row in chunk for value in row],
            )
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


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
    step = _rows_per_statement(1) - 3
    with connection.cursor() as cursor:
        for offset in range(0, len(ids), step):
            chunk = list(ids[offset : offset + step])
            cursor.execute(
                f"INSERT INTO {target} ({_quoted(copied)}, {_quoted(extra_columns)}) "
                f"SELECT {_quoted(copied)}, %s, %s, %s, %s FROM {table} "
                f"WHERE {connection.ops.quote_name('id')} IN ({', '.join(['%s'] * len(chunk))})",
                [stamp, reason[:100], HISTORY_TYPES[kind], user_id, *chunk],
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
