"""The annotation index's table and triggers (the article index's schema.py explains why
triggers). On PostgreSQL an annotation is indexed in its article's language; its speaker's
entity name (and there its article's language) live in other tables, so their triggers
refresh it too."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from articles.search.schema import (
    SQLITE_TOKENIZER,
    create_triggers,
    drop_sqlite_triggers_before,
    drop_triggers,
    ensure_triggers,
)

_POSTGRES_ROWS = """
  INSERT INTO annotation_search (annotation_id, document)
  SELECT a.id, annotation_tsvector(ar.language, a.quote, a.attributes, e.name)
  FROM {source} JOIN articles_article ar ON ar.id = a.article_id
  LEFT JOIN annotator_entity e ON e.id = a.speaker_id
  {where}
  ON CONFLICT (annotation_id) DO UPDATE SET document = EXCLUDED.document;
"""

POSTGRES_TABLE = f"""
CREATE TABLE IF NOT EXISTS annotation_search (
  annotation_id bigint PRIMARY KEY,
  document tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS annotation_search_document ON annotation_search USING GIN (document);
ALTER TABLE annotation_search ALTER COLUMN document SET STATISTICS 1000;

CREATE OR REPLACE FUNCTION annotation_tsvector(lang text, quote text, attributes jsonb, speaker text)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT newsdesk_tsvector(lang, quote, 'A')
      || newsdesk_tsvector(lang, concat_ws(' ', attributes->>'speaker_name', speaker), 'B')
      || newsdesk_tsvector(lang, attributes->>'verdict_note', 'C')
$$;

-- Statement triggers over transition tables: a bulk create of 5,000 spans is one INSERT here.
CREATE OR REPLACE FUNCTION annotation_search_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_POSTGRES_ROWS.format(source="new_rows a", where="")}
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION annotation_search_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {
    _POSTGRES_ROWS.format(
        source="new_rows a JOIN old_rows o ON o.id = a.id",
        where="WHERE (o.quote, o.attributes, o.speaker_id, o.article_id) "
        "IS DISTINCT FROM (a.quote, a.attributes, a.speaker_id, a.article_id)",
    )
}
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION annotation_search_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM annotation_search WHERE annotation_id IN (SELECT id FROM old_rows);
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION annotation_search_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE annotation_search;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION annotation_search_speaker_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_POSTGRES_ROWS.format(source="annotator_annotation a", where="WHERE a.speaker_id = NEW.id")}
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION annotation_search_language_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {_POSTGRES_ROWS.format(source="annotator_annotation a", where="WHERE a.article_id = NEW.id")}
  RETURN NULL;
END
$$;
"""

POSTGRES_TRIGGERS = {
    ("annotator_annotation", "annotation_search_insert"): (
        "AFTER INSERT ON annotator_annotation REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotation_search_inserted()"
    ),
    ("annotator_annotation", "annotation_search_update"): (
        "AFTER UPDATE ON annotator_annotation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotation_search_updated()"
    ),
    ("annotator_annotation", "annotation_search_delete"): (
        "AFTER DELETE ON annotator_annotation REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION annotation_search_deleted()"
    ),
    ("annotator_annotation", "annotation_search_truncate"): (
        "AFTER TRUNCATE ON annotator_annotation FOR EACH STATEMENT EXECUTE FUNCTION annotation_search_clear()"
    ),
    ("annotator_entity", "annotation_search_speaker"): (
        "AFTER UPDATE ON annotator_entity FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) "
        "EXECUTE FUNCTION annotation_search_speaker_renamed()"
    ),
    ("articles_article", "annotation_search_language"): (
        "AFTER UPDATE ON articles_article FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language) "
        "EXECUTE FUNCTION annotation_search_language_changed()"
    ),
}

SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS annotation_search USING fts5("
    f"quote, speaker, note, annotation_id UNINDEXED, tokenize = '{SQLITE_TOKENIZER}')"
)

_SQLITE_ROWS = (
    "INSERT INTO annotation_search (rowid, annotation_id, quote, speaker, note) "
    "SELECT a.id, a.id, a.quote, "
    "coalesce(json_extract(a.attributes, '$.speaker_name'), '') || ' ' || coalesce(e.name, ''), "
    "coalesce(json_extract(a.attributes, '$.verdict_note'), '') "
    "FROM annotator_annotation a LEFT JOIN annotator_entity e ON e.id = a.speaker_id"
)


def _sqlite_refresh(where: str) -> str:
    return (
        "DELETE FROM annotation_search WHERE rowid IN "
        f"(SELECT a.id FROM annotator_annotation a {where}); {_SQLITE_ROWS} {where};"
    )


# While the services bulk-insert spans on SQLite they hold a row here (inside their write
# transaction, so no one else ever sees it): the insert trigger then stands aside and the new
# rows are indexed in one statement (inserts_indexed_together). A trigger per row costs three times the
# insert itself.
SQLITE_DEFERRED_TABLE = (
    "CREATE TABLE IF NOT EXISTS annotation_search_deferred (id integer PRIMARY KEY)"
)

SQLITE_TRIGGERS = {
    "annotation_search_insert": (
        "AFTER INSERT ON annotator_annotation "
        "WHEN NOT EXISTS (SELECT 1 FROM annotation_search_deferred) "
        f"BEGIN {_SQLITE_ROWS} WHERE a.id = new.id; END"
    ),
    "annotation_search_update": (
        "AFTER UPDATE ON annotator_annotation WHEN old.quote IS NOT new.quote "
        "OR old.attributes IS NOT new.attributes OR old.speaker_id IS NOT new.speaker_id "
        f"OR old.article_id IS NOT new.article_id BEGIN {_sqlite_refresh('WHERE a.id = new.id')} END"
    ),
    "annotation_search_delete": (
        "AFTER DELETE ON annotator_annotation BEGIN "
        "DELETE FROM annotation_search WHERE rowid = old.id; END"
    ),
    "annotation_search_speaker": (
        "AFTER UPDATE OF name ON annotator_entity WHEN old.name IS NOT new.name BEGIN "
        f"{_sqlite_refresh('WHERE a.speaker_id = new.id')} END"
    ),
}


@contextmanager
def inserts_indexed_together(cursor) -> Iterator[Callable[[int, int], None]]:
    """Inside a write transaction: annotations inserted in this block are not indexed one by
    one; call the function it gives with the first and last new id to index them at once.
    PostgreSQL's trigger works per statement already, so there this changes nothing."""
    if cursor.db.vendor != "sqlite":
        yield lambda first, last: None
        return
    cursor.execute("INSERT INTO annotation_search_deferred (id) VALUES (1)")
    try:
        yield lambda first, last: cursor.execute(
            f"{_SQLITE_ROWS} WHERE a.id BETWEEN %s AND %s", [first, last]
        )
    finally:
        cursor.execute("DELETE FROM annotation_search_deferred")


def create(connection) -> None:
    """The table, its triggers on PostgreSQL (SQLite's come after migrate), filled."""
    with connection.cursor() as cursor:
        cursor.execute(POSTGRES_TABLE if connection.vendor == "postgresql" else SQLITE_TABLE)
        if connection.vendor == "sqlite":
            cursor.execute(SQLITE_DEFERRED_TABLE)
    if connection.vendor == "postgresql":
        create_triggers(connection, POSTGRES_TRIGGERS, SQLITE_TRIGGERS)
    rebuild(connection)


def drop(connection) -> None:
    drop_triggers(connection, POSTGRES_TRIGGERS, SQLITE_TRIGGERS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS annotation_search")
        cursor.execute("DROP TABLE IF EXISTS annotation_search_deferred")


def rebuild(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM annotation_search")
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_ROWS.format(source="annotator_annotation a", where=""))
        else:
            cursor.execute(_SQLITE_ROWS)


def drop_before_migrate(sender, plan=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    drop_sqlite_triggers_before(connections[using], plan, SQLITE_TRIGGERS)


def ensure_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    ensure_triggers(
        connections[using], "annotation_search", POSTGRES_TRIGGERS, SQLITE_TRIGGERS, rebuild
    )
