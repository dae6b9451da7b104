"""Backup and restore (README, "Backup and restore"): the native copy of each database kind,
and the portable dump restored into freshly migrated databases, compared row by row."""

import json
import os
import re
import subprocess
import sys
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from annotator.backup import portable_dump
from annotator.models import Annotation, Relation
from annotator.services import (
    annotation_delete,
    annotation_review,
    annotation_update,
    entity_create,
    relation_create,
)
from articles.models import Article, ArticleRevision
from articles.services import article_update
from tests.conftest import make_user, tag

ROOT = Path(__file__).resolve().parent.parent
VENDOR = connection.vendor


def manage(database_url: str, *args: str) -> str:
    """Run manage.py in its own process against another database, as an operator would."""
    env = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


ISO_INSTANT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def _instant(value):
    # dumpdata writes a timestamp's milliseconds, and none when they are zero (10:12:06.000
    # comes back as 10:12:06): dumps are compared by the instants they hold, not their text.
    if isinstance(value, str) and ISO_INSTANT.fullmatch(value):
        return datetime.fromisoformat(value)
    return value


def rows(dump: Path) -> list:
    loaded = json.loads(dump.read_text(encoding="utf-8"))
    for row in loaded:
        row["fields"] = {name: _instant(value) for name, value in row["fields"].items()}
    return sorted(loaded, key=lambda row: (row["model"], json.dumps(row.get("pk"))))


@pytest.fixture
def newsroom(article, editor_user, reviewer_user, annotator_user):
    """Work of every kind: two revisions, spans after emoji, a review, an edit, a deletion, a
    relation, an entity; each leaves history rows."""
    person = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    quote = tag(article, annotator_user, "quote", "Ça va très bien")
    claim = tag(article, editor_user, "claim", "habló en la Ciudad de México")
    entity_create(name="Claudia Sheinbaum", type="person", aliases=["Sheinbaum"])
    relation_create(source=quote, target=person, type="spoken_by", author=editor_user)
    annotation_review(annotation=person, reviewer=reviewer_user, approve=True)
    annotation_update(
        annotation=claim, user=editor_user, version=claim.version, changes={"label": "quote"}
    )
    annotation_delete(annotation=tag(article, editor_user, "other", "opened"), user=editor_user)
    article_update(article=article, user=editor_user, changes={"text": article.text + "\n\nFin."})
    return article


def fresh_sqlite(tmp_path: Path, name: str) -> str:
    url = f"sqlite:///{tmp_path / name}"
    manage(url, "migrate", "--noinput")
    return url


@pytest.fixture
def fresh_postgres():
    """Freshly migrated PostgreSQL databases beside the test database, dropped afterwards."""
    import psycopg

    params = settings.DATABASES["default"]
    admin = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
    }
    made = []

    def make() -> str:
        name = f"newsdesk_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        auth = admin["user"] + (f":{admin['password']}" if admin["password"] else "")
        return f"postgres://{auth}@{admin['host']}:{admin['port']}/{name}"

    yield make
    with psycopg.connect(**admin, autocommit=True) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_dump_holds_the_newsrooms_work(newsroom, tmp_path):
    dump = tmp_path / "newsdesk.json"
    portable_dump(dump)
    models = {row["model"] for row in rows(dump)}
    assert {
        "auth.user", "auth.group", "annotator.label", "annotator.entity", "annotator.annotation",
        "annotator.relation", "annotator.historicalannotation", "articles.article",
        "articles.articlerevision", "articles.historicalarticle",
    } <= models  # fmt: skip
    assert not models & {"contenttypes.contenttype", "auth.permission", "knox.authtoken"}


def test_portable_dump_restores_into_fresh_databases_of_each_kind(newsroom, tmp_path, request):
    """On SQLite: into a fresh SQLite file. On PostgreSQL: into a fresh SQLite file, and that
    copy's dump into a fresh PostgreSQL database; every dump reads the same, row for row."""
    source = tmp_path / "source.json"
    portable_dump(source)
    expected = rows(source)
    hops = ["sqlite"] + (["postgresql"] if VENDOR == "postgresql" else [])
    dump = source
    for number, kind in enumerate(hops):
        if kind == "sqlite":
            target = fresh_sqlite(tmp_path, f"restored{number}.sqlite3")
        else:
            target = request.getfixturevalue("fresh_postgres")()
            manage(target, "migrate", "--noinput")
        manage(target, "load_portable", str(dump))
        dump = tmp_path / f"hop{number}.json"
        manage(target, "dump_portable", str(dump))
        assert rows(dump) == expected, kind

    restored = {
        row["pk"]: row["fields"] for row in rows(dump) if row["model"] == "annotator.annotation"
    }
    for annotation in Annotation.objects.all():
        fields = restored[annotation.pk]
        assert (fields["start"], fields["end"], fields["quote"]) == (
            annotation.start,
            annotation.end,
            annotation.quote,
        )
    assert len(restored) == Annotation.objects.count() >= 4
    revisions = [row for row in expected if row["model"] == "articles.articlerevision"]
    assert len(revisions) == ArticleRevision.objects.count() == 2
    history = [row for row in expected if row["model"] == "annotator.historicalannotation"]
    assert len(history) == Annotation.history.count() > 5


def test_restore_refuses_a_database_that_already_holds_work(newsroom, tmp_path):
    dump = tmp_path / "newsdesk.json"
    portable_dump(dump)
    before = (Article.objects.count(), Annotation.objects.count(), Relation.objects.count())
    with pytest.raises(CommandError, match="already holds users, articles, annotations"):
        call_command("load_portable", str(dump))
    assert (Article.objects.count(), Annotation.objects.count(), Relation.objects.count()) == before


def test_restore_refuses_after_a_user_was_created(db, tmp_path):
    make_user("admin")
    dump = tmp_path / "empty.json"
    dump.write_text("[]")
    with pytest.raises(CommandError, match="already holds users"):
        call_command("load_portable", str(dump))


@pytest.mark.django_db(transaction=True)
def test_native_backup_restores_every_row(tmp_path, request):
    """SQLite: the online backup API's copy. PostgreSQL: pg_dump, then pg_restore into a new
    database. The copy's portable dump equals the original's."""
    from django.contrib.auth.models import Group

    from annotator.defaults import create_defaults
    from annotator.models import Label

    # A transactional test starts from a flushed database: the seeded rows come back first.
    create_defaults(Label, Group)
    editor = make_user("edith", "Editor")
    from articles.services import article_create

    article, _ = article_create(user=editor, title="Tricky", text="Café 👩‍👩‍👧 dijo algo.")
    tag(article, editor, "claim", "dijo algo")
    original = tmp_path / "original.json"
    portable_dump(original)

    if VENDOR == "sqlite":
        copy = tmp_path / "copy.sqlite3"
        call_command("backup_sqlite", str(copy))
        copy_url = f"sqlite:///{copy}"
    else:
        params = settings.DATABASES["default"]
        archive = tmp_path / "newsdesk.pgdump"
        base = ["-h", params["HOST"] or "127.0.0.1", "-p", str(params["PORT"] or 5432)]
        base += ["-U", params["USER"]]
        subprocess.run(
            ["pg_dump", *base, "-Fc", "-f", str(archive), params["NAME"]], check=True, timeout=300
        )
        copy_url = request.getfixturevalue("fresh_postgres")()
        subprocess.run(
            ["pg_restore", *base, "--no-owner", "-d", copy_url.rsplit("/", 1)[1], str(archive)],
            check=True,
            timeout=300,
        )
    restored = tmp_path / "restored.json"
    manage(copy_url, "dump_portable", str(restored))
    assert rows(restored) == rows(original)
    assert any(row["model"] == "annotator.annotation" for row in rows(restored))


@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_refuses_other_databases_and_existing_files(tmp_path):
    if VENDOR == "sqlite":
        call_command("backup_sqlite", str(tmp_path / "copy.sqlite3"))
        with pytest.raises(CommandError, match="exists"):
            call_command("backup_sqlite", str(tmp_path / "copy.sqlite3"))
    else:
        with pytest.raises(CommandError, match="pg_dump"):
            call_command("backup_sqlite", str(tmp_path / "copy.sqlite3"))
