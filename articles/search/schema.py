"""The search index's tables, functions and triggers, per database.

The index is written by triggers on the article tables, not by the services: a raw
``update()``, a data migration, the admin or a new code path cannot leave it stale. On
PostgreSQL it is a table of weighted ``tsvector`` documents with a GIN index; on SQLite an FTS5
table of the texts under FTS5's ``porter`` tokenizer (analysis.py says how Spanish matches).

On SQLite the triggers are made after ``migrate`` and dropped before it: Django's SQLite schema
editor alters a table by making a new one and renaming it, which fails while a trigger on
another table names it (and drops the table's own triggers). So a migration makes only the
FTS5 table; ``post_migrate`` makes the triggers and fills the index.

The SQLite triggers are plain SQL on purpose. A trigger calling a Python function deadlocks
when two threads share a connection (Django's live test server does): the function waits for
the GIL while another thread holds it, waiting for the connection.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

# Shared with the annotation index (annotator/search): a text's weighted document in its
# language, and a query's words as one tsquery. Mirrors analysis.configs_for / word_forms.
POSTGRES_FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION newsdesk_tsvector_raw(primary_tag text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE primary_tag
    WHEN 'en' THEN to_tsvector('english', body)
    WHEN 'es' THEN to_tsvector('spanish', body)
    WHEN '' THEN to_tsvector('english', body) || to_tsvector('spanish', body)
    ELSE to_tsvector('simple', body)
  END
$$;

CREATE OR REPLACE FUNCTION newsdesk_tsvector(lang text, body text, weight "char") RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  primary_tag text := lower(coalesce(substring(lang from '^[A-Za-z]*'), ''));
BEGIN
  IF body IS NULL OR body = '' THEN
    RETURN ''::tsvector;
  END IF;
  BEGIN
    RETURN setweight(newsdesk_tsvector_raw(primary_tag, body), weight);
  EXCEPTION WHEN program_limit_exceeded THEN
    -- A tsvector holds at most 1 MB: a text with that many distinct words is indexed by its
    -- first 100,000 characters rather than refused.
    RETURN setweight(newsdesk_tsvector_raw(primary_tag, left(body, 100000)), weight);
  END;
END
$$;

CREATE OR REPLACE FUNCTION newsdesk_tsquery(words text[]) RETURNS tsquery
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  result tsquery;
  term tsquery;
  word text;
  en tsquery;
  es tsquery;
  plain tsquery;
BEGIN
  FOREACH word IN ARRAY words LOOP
    en := plainto_tsquery('english', word);
    es := plainto_tsquery('spanish', word);
    -- A stop word of either language is left out: texts indexed in that language lack it.
    CONTINUE WHEN numnode(en) = 0 OR numnode(es) = 0;
    plain := plainto_tsquery('simple', word);
    -- Each distinct form once: the planner counts 'x' | 'x' as twice as common as 'x'.
    term := en;
    IF es::text <> en::text THEN
      term := term || es;
    END IF;
    IF plain::text <> en::text AND plain::text <> es::text THEN
      term := term || plain;
    END IF;
    result := CASE WHEN result IS NULL THEN term ELSE result && term END;
  END LOOP;
  -- NULL when no word is left: it matches nothing.
  RETURN result;
END
$$;
"""

POSTGRES_TABLE = """
CREATE TABLE IF NOT EXISTS article_search (
  article_id bigint PRIMARY KEY,
  document tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS article_search_document ON article_search USING GIN (document);
-- More lexemes in the statistics: a rare word is then estimated rare, and joined by index.
ALTER TABLE article_search ALTER COLUMN document SET STATISTICS 1000;

CREATE OR REPLACE FUNCTION article_search_document(article bigint) RETURNS tsvector
LANGUAGE sql STABLE AS $$
  SELECT newsdesk_tsvector(a.language, a.title, 'A')
      || newsdesk_tsvector(a.language, a.byline, 'B')
      || newsdesk_tsvector(a.language, r.text, 'D')
  FROM articles_article a LEFT JOIN articles_articlerevision r ON r.id = a.current_revision_id
  WHERE a.id = article
$$;

CREATE OR REPLACE FUNCTION article_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO article_search (article_id, document)
  VALUES (NEW.id, article_search_document(NEW.id))
  ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION article_search_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM article_search WHERE article_id = OLD.id;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION article_search_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE article_search;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION article_search_revision_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO article_search (article_id, document)
  SELECT id, article_search_document(id) FROM articles_article WHERE current_revision_id = NEW.id
  ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document;
  RETURN NULL;
END
$$;
"""

POSTGRES_TRIGGERS = {
    ("articles_article", "article_search_insert"): (
        "AFTER INSERT ON articles_article FOR EACH ROW EXECUTE FUNCTION article_search_refresh()"
    ),
    ("articles_article", "article_search_update"): (
        "AFTER UPDATE ON articles_article FOR EACH ROW WHEN ("
        "OLD.title IS DISTINCT FROM NEW.title OR OLD.byline IS DISTINCT FROM NEW.byline "
        "OR OLD.language IS DISTINCT FROM NEW.language "
        "OR OLD.current_revision_id IS DISTINCT FROM NEW.current_revision_id"
        ") EXECUTE FUNCTION article_search_refresh()"
    ),
    ("articles_article", "article_search_delete"): (
        "AFTER DELETE ON articles_article FOR EACH ROW EXECUTE FUNCTION article_search_forget()"
    ),
    ("articles_article", "article_search_truncate"): (
        "AFTER TRUNCATE ON articles_article FOR EACH STATEMENT EXECUTE FUNCTION article_search_clear()"
    ),
    ("articles_articlerevision", "article_search_revision"): (
        "AFTER UPDATE ON articles_articlerevision FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text) "
        "EXECUTE FUNCTION article_search_revision_changed()"
    ),
}

# English inflections by FTS5's porter stemmer, accents folded (México ~ Mexico).
SQLITE_TOKENIZER = "porter unicode61 remove_diacritics 2"
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_search USING fts5("
    f"title, byline, body, article_id UNINDEXED, tokenize = '{SQLITE_TOKENIZER}')"
)

_SQLITE_ROW = (
    "INSERT INTO article_search (rowid, article_id, title, byline, body) "
    "SELECT a.id, a.id, a.title, a.byline, coalesce(r.text, '') FROM articles_article a "
    "LEFT JOIN articles_articlerevision r ON r.id = a.current_revision_id"
)

SQLITE_TRIGGERS = {
    "article_search_insert": (
        f"AFTER INSERT ON articles_article BEGIN {_SQLITE_ROW} WHERE a.id = new.id; END"
    ),
    "article_search_update": (
        "AFTER UPDATE ON articles_article WHEN old.title IS NOT new.title "
        "OR old.byline IS NOT new.byline "
        "OR old.current_revision_id IS NOT new.current_revision_id BEGIN "
        f"DELETE FROM article_search WHERE rowid = old.id; {_SQLITE_ROW} WHERE a.id = new.id; END"
    ),
    "article_search_delete": (
        "AFTER DELETE ON articles_article BEGIN "
        "DELETE FROM article_search WHERE rowid = old.id; END"
    ),
    "article_search_revision": (
        "AFTER UPDATE OF text ON articles_articlerevision WHEN old.text IS NOT new.text BEGIN "
        "DELETE FROM article_search WHERE rowid IN "
        "(SELECT id FROM articles_article WHERE current_revision_id = new.id); "
        f"{_SQLITE_ROW} WHERE a.current_revision_id = new.id; END"
    ),
}


def _triggers_present(connection, names: set[str]) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgname = ANY(%s)",
                [sorted(names)],
            )
        else:
            marks = ", ".join(["%s"] * len(names))
            cursor.execute(
                f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
                sorted(names),
            )
        return {row[0] for row in cursor.fetchall()}


def create_triggers(connection, postgres: dict, sqlite: dict) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for (table, name), body in postgres.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cursor.execute(f"CREATE TRIGGER {name} {body}")
        else:
            for name, body in sqlite.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")


def drop_triggers(connection, postgres: dict, sqlite: dict) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table, name in postgres:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        else:
            for name in sqlite:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def create(connection) -> None:
    """Make the index's table and functions, its triggers on PostgreSQL (SQLite's come after
    migrate), and fill it. Idempotent."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTIONS)
            cursor.execute(POSTGRES_TABLE)
        else:
            cursor.execute(SQLITE_TABLE)
    if connection.vendor == "postgresql":
        create_triggers(connection, POSTGRES_TRIGGERS, SQLITE_TRIGGERS)
    rebuild(connection)


def drop(connection) -> None:
    drop_triggers(connection, POSTGRES_TRIGGERS, SQLITE_TRIGGERS)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS article_search")


def rebuild(connection) -> None:
    """Index every article again, from the tables."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM article_search")
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO article_search (article_id, document) "
                "SELECT id, article_search_document(id) FROM articles_article"
            )
        else:
            cursor.execute(_SQLITE_ROW)


def _table_exists(connection, table: str) -> bool:
    return table in connection.introspection.table_names()


def ensure_triggers(connection, table: str, postgres: dict, sqlite: dict, refill) -> bool:
    """Put back any trigger a table rebuild dropped; refill the index if one was missing.
    Returns whether anything had to be done."""
    if connection.vendor not in ("postgresql", "sqlite") or not _table_exists(connection, table):
        return False  # the index's migration has not run yet
    names = {name for _, name in postgres} if connection.vendor == "postgresql" else set(sqlite)
    if _triggers_present(connection, names) == names:
        return False
    create_triggers(connection, postgres, sqlite)
    refill(connection)
    return True


def drop_sqlite_triggers_before(connection, plan, sqlite: dict) -> None:
    """Before migrations run on SQLite, drop the triggers (see the module's docstring)."""
    if plan and connection.vendor == "sqlite":
        drop_triggers(connection, {}, sqlite)


def drop_before_migrate(sender, plan=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    drop_sqlite_triggers_before(connections[using], plan, SQLITE_TRIGGERS)


def ensure_after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    ensure_triggers(
        connections[using], "article_search", POSTGRES_TRIGGERS, SQLITE_TRIGGERS, rebuild
    )
