"""Bulk reads and writes of stored bytes that skip a slow path of Django's PostgreSQL backend.

Django's psycopg cursors bind parameters on the client and read results as text: bytea then
travels as hex, twice its size, and is written into (and parsed out of) the SQL text. For the
stored parts and the article caches that was most of the time spent on PostgreSQL, so these
two functions use psycopg's own cursor there, with binary results and server-side parameters.
SQLite goes through Django as usual. Both record the query as Django's cursors would, so
query-count tests see them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def fetch(values: QuerySet) -> list[tuple]:
    """The rows of a ``values_list`` queryset whose columns need no conversion by Django."""
    if connection.vendor != "postgresql":
        return list(values)
    import psycopg

    try:
        sql, params = values.query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: Django answers without asking the database
        return []
    connection.ensure_connection()
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        rows = cursor.fetchall()
    _record(sql % tuple(map(repr, params)), started)
    return rows


def execute_many(sql: str, rows: Sequence[Sequence]) -> None:
    """Run ``sql`` (``%s`` placeholders) once per row of parameters."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        return
    import psycopg

    connection.ensure_connection()
    started = time.monotonic()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.executemany(sql, rows)
    _record(f"{sql} times {len(rows)}", started)


def _record(sql: str, started: float) -> None:
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
