"""Backups: a consistent copy of a SQLite database, and a portable dump that restores into a
freshly migrated database of either kind (README, "Backup and restore").

PostgreSQL's own `pg_dump`/`pg_restore` are the backup there; nothing here wraps them.

The portable dump is Django's `dumpdata` of everything the newsroom made (users, groups,
labels, entities, articles, revisions, annotations, relations, their history, the admin log)
with natural keys for content types and permissions, whose ids differ between databases;
every other row keeps its id, so offsets, links and history read the same after a restore.
Left out: content types and permissions (each database makes its own), sessions, API tokens
(people log in again), login-failure records, idempotency keys, queued tasks and the search
indexes (the database's triggers build them again from the loaded rows).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connections, transaction

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "knox",
    "axes",
    "idempotency",
    "django_tasks_database",
    # The search indexes are derived from the rows; the database's triggers fill them again
    # as the dump's rows are loaded.
    "article_search",
    "annotation_search",
]


class RestoreRefused(Exception):
    """The target database is not freshly migrated; restoring would mix two newsrooms."""


def sqlite_backup(destination: Path, *, using: str = "default") -> None:
    """Copy the SQLite database to ``destination`` with SQLite's online backup API: a
    consistent snapshot even while the app writes (copying the file itself, with WAL, is not)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        raise ValueError(
            f"The database is {connection.vendor}, not SQLite: back it up with pg_dump (README)."
        )
    if connection.in_atomic_block:
        # The copy reads through this connection; inside its own write transaction SQLite
        # would wait for that transaction forever.
        raise ValueError("Back up outside a transaction (run the command on its own).")
    connection.ensure_connection()
    target = sqlite3.connect(destination)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def portable_dump(output: Path, *, using: str = "default") -> None:
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        natural_foreign=True,
        output=str(output),
        indent=1,
        database=using,
        verbosity=0,
    )


def portable_load(dump: Path, *, using: str = "default") -> None:
    """Restore a portable dump into a freshly migrated database, all or nothing.

    The migrations seed default groups and labels; the dump carries the newsroom's own (the
    same ones, perhaps edited, with their ids), so the seeded rows make way for them first.
    """
    from annotator.models import Annotation, Label
    from articles.models import Article

    with transaction.atomic(using=using):
        made = {
            "users": get_user_model().objects.using(using).exists(),
            "articles": Article.objects.using(using).exists(),
            "annotations": Annotation.objects.using(using).exists(),
        }
        if any(made.values()):
            found = ", ".join(name for name, present in made.items() if present)
            raise RestoreRefused(
                f"The database already holds {found}. Restore into a freshly migrated, empty "
                "database (before creating any user)."
            )
        Label.objects.using(using).all().delete()
        Group.objects.using(using).all().delete()
        call_command("loaddata", str(dump), database=using, verbosity=0)
