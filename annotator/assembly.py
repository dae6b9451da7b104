"""An article's annotations assembled for reading, kept in Django's cache under their state.

The one derived state of the app. An article's live annotations, assembled as the JSON array
(or the CSV rows) every whole-article read sends, are cached under a key made of what they were
assembled from: the article, its revision and text, the state of its annotation rows and the
vocabulary they name (labels, usernames). The state is read from the rows themselves
(``article_states``): every write of an annotation bumps its version, and ids only grow, so
any committed write gives another key and a stale entry is simply never asked for. Nothing is
cleared, nothing is written to the database by a read, and no write path has to know this
module exists.

Every span's slice of the text is compared with its quote as it is assembled: one that does
not match, or that re-anchoring orphaned, is left out and reported for repair.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.conf import settings
from django.core.cache import caches
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Count, F, Max, QuerySet, Sum

from .anchoring import Utf16Index
from .choices import AnchorState, Kind
from .models import Annotation
from .representation import INDEX, Joins, annotation_objects, attributes_text, fetch_rows

# Bump when the assembled shape changes, so entries of the old code are never read.
SHAPE_VERSION = 1
CACHE = "annotations"
# With a shared cache (REDIS_URL), this process's own copies of the entries it read last.
LOCAL_CACHE = "annotations_local"

MISMATCH_REASON = "quote no longer matches the text"
ORPHANED_REASON = "orphaned by a new revision of the text"
# In assembled CSV rows, stands for the article's title cell: titles change without their
# annotations changing. Article texts never hold it (articles.services refuses NUL).
TITLE = "\x00"

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (OWASP "CSV injection"); a leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_FORMULA_FIRST = frozenset(start[0] for start in _FORMULA_STARTS)


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value[:1] in _FORMULA_FIRST else value


(ID, ARTICLE, LABEL, AUTHOR, REVIEWER, START, END, QUOTE, PREFIX, SUFFIX, ATTRIBUTES, ENTITY,
 SPEAKER, STATUS, ORIGIN, VERSION, CREATED, UPDATED) = (
    INDEX[name] for name in (
        "id", "article_id", "label_id", "author_id", "reviewer_id", "start", "end", "quote",
        "prefix", "suffix", "attributes", "entity_id", "speaker_id", "status", "origin",
        "version", "created_at", "updated_at",
    )
)  # fmt: skip


@dataclass
class Assembled:
    """One article's live annotations, ready: ``data`` is the JSON array (``part="json"``)
    or the CSV rows with ``TITLE`` for the title cell; ``skipped`` the spans left out, and
    ``repair`` those spans as JSON objects (for the page, which lists them to repair)."""

    data: bytes
    skipped: list[dict[str, Any]] = field(default_factory=list)
    repair: list[bytes] = field(default_factory=list)


def article_states(article_ids: list[int]) -> dict[int, str]:
    """The state of each article's annotation rows (deleted ones too), in one query over an
    index: any committed write changes it (versions only grow, ids are never reused)."""
    rows = (
        Annotation.objects.filter(article_id__in=article_ids)
        .order_by()
        .values("article_id")
        .annotate(
            n=Count("id"), versions=Sum("version"), weighted=Sum(F("id") * F("version")),
            last=Max("id"),
        )
        .values_list("article_id", "n", "versions", "weighted", "last")
    )  # fmt: skip
    states = {pk: "empty" for pk in article_ids}
    for pk, *state in rows:
        states[pk] = ".".join(map(str, state))
    return states


def text_digest(text: str) -> str:
    """The text itself is part of the key: revision texts never change through the app, but
    one changed behind its back must not be served spans checked against the old one."""
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


_migrations_applied: int | None = None


def vocabulary(joins: Joins) -> str:
    """What assembled annotations name besides their own rows: labels (slug, kind), usernames,
    the code's shape and the migrations applied (a data migration may change rows without
    bumping versions). Read once per request: a rename by any means gives new keys."""
    global _migrations_applied
    if _migrations_applied is None:
        _migrations_applied = MigrationRecorder.Migration.objects.count()
    joins.need_all_users()
    digest = hashlib.blake2b(digest_size=12)
    digest.update(b"%d:%d:" % (SHAPE_VERSION, _migrations_applied))
    digest.update(repr(sorted(joins.labels.items())).encode())
    digest.update(repr(sorted((k, v) for k, v in joins.users.items() if k is not None)).encode())
    return digest.hexdigest()


def _csv_rows(rows: list[tuple], article_id: int, joins: Joins, utf16: Utf16Index) -> bytes:
    """These rows as the CSV rows of ``exports.csv_rows.HEADER``, the title cell left as
    ``TITLE``: straight from the rows, as the JSON shape's values are."""
    labels, safe, to16 = joins.labels, spreadsheet_safe, utf16.to_utf16
    joins.need_users({row[AUTHOR] for row in rows} | {row[REVIEWER] for row in rows})
    people = {pk: safe(name or "") for pk, name in joins.users.items()}

    def attributes_cell(kind: str, row: tuple) -> str:
        text = attributes_text(row[ATTRIBUTES], kind, row[ENTITY], row[SPEAKER])
        # One spelling whatever the database wrote (PostgreSQL's jsonb text has spaces).
        return "" if text == "{}" else safe(orjson.dumps(orjson.loads(text)).decode())

    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [
            row[ID], article_id, TITLE, slug, kind, people[row[AUTHOR]], people[row[REVIEWER]],
            row[START], row[END], to16(row[START]), to16(row[END]), safe(row[QUOTE]),
            safe(row[PREFIX]), safe(row[SUFFIX]), row[STATUS], row[ORIGIN],
            (row[ENTITY] or "") if kind == Kind.ENTITY else "",
            (row[SPEAKER] or "") if kind == Kind.QUOTE else "",
            attributes_cell(kind, row), row[VERSION], row[CREATED], row[UPDATED],
        ]
        for row in rows
        for slug, kind in (labels[row[LABEL]],)
    )  # fmt: skip
    return buffer.getvalue().encode()


def assemble(part: str, article_id: int, text: str, rows: list[tuple], joins: Joins) -> Assembled:
    """These rows (an article's, in text order) as the format's bytes, without the spans whose
    text is not their quote."""
    start, end, quote, state = INDEX["start"], INDEX["end"], INDEX["quote"], INDEX["anchor_state"]
    kept, left_out, skipped = [], [], []
    for row in rows:
        if row[state] == AnchorState.ORPHANED:
            reason = ORPHANED_REASON
        elif text[row[start] : row[end]] != row[quote]:
            reason = MISMATCH_REASON
        else:
            kept.append(row)
            continue
        left_out.append(row)
        skipped.append({"id": row[INDEX["id"]], "reason": reason})
    repair = [orjson.dumps(item) for item in annotation_objects(left_out, joins)]
    if part == "json":
        return Assembled(
            orjson.dumps(annotation_objects(kept, joins, Utf16Index(text))), skipped, repair
        )
    return Assembled(_csv_rows(kept, article_id, joins, Utf16Index(text)), skipped, repair)


def assembled(
    articles: dict[int, dict[str, Any]],
    annotations: QuerySet,
    *,
    part: str,
    whole: bool,
    joins: Joins,
) -> dict[int, Assembled]:
    """Each article's annotations from ``annotations`` assembled as ``part`` ("json" or
    "csv"). ``articles`` maps ids to dicts holding ``id``, ``text`` and ``revision_id``;
    ``whole`` says ``annotations`` is every live annotation of those articles, so the cache
    may serve and keep them."""
    ready: dict[int, Assembled] = {}
    keys: dict[int, str] = {}
    if whole:
        states = article_states(list(articles))
        words = vocabulary(joins)
        keys = {
            pk: f"a:{part}:{pk}:{article['revision_id']}:{text_digest(article['text'])}:"
            f"{states[pk]}:{words}"
            for pk, article in articles.items()
        }
        found = _cached(list(keys.values()))
        for pk, key in keys.items():
            if key in found:
                ready[pk] = found[key]
    build = [pk for pk in articles if pk not in ready]
    if not build:
        return ready
    grouped: dict[int, list[tuple]] = {pk: [] for pk in build}
    article_at = INDEX["article_id"]
    for row in fetch_rows(
        annotations.filter(article_id__in=build).order_by("article_id", "start", "end", "id")
    ):
        grouped[row[article_at]].append(row)
    fresh = {}
    for pk in build:
        ready[pk] = assemble(part, pk, articles[pk]["text"], grouped[pk], joins)
        if whole:
            fresh[keys[pk]] = ready[pk]
    if fresh:
        for layer in _layers():
            layer.set_many(fresh)
    return ready


def _layers() -> list:
    """The caches an entry is looked for in, nearest first."""
    if LOCAL_CACHE in settings.CACHES:
        return [caches[LOCAL_CACHE], caches[CACHE]]
    return [caches[CACHE]]


def _cached(keys: list[str]) -> dict[str, Assembled]:
    """The entries found for these keys, nearest layer first; what a farther layer had is
    kept in the nearer ones for next time."""
    found: dict[str, Assembled] = {}
    layers = _layers()
    for depth, layer in enumerate(layers):
        wanted = [key for key in keys if key not in found]
        if not wanted:
            break
        got = layer.get_many(wanted)
        for nearer in layers[:depth]:
            nearer.set_many(got)
        found.update(got)
    return found


def article_annotations(article_id: int, text: str, revision_id: int | None) -> orjson.Fragment:
    """Every live annotation of one article as a JSON array: the exportable ones (text order,
    with UTF-16 offsets), then any left out for repair."""
    live = Annotation.objects.filter(article_id=article_id, deleted_at__isnull=True)
    ready = assembled(
        {article_id: {"id": article_id, "text": text, "revision_id": revision_id}},
        live,
        part="json",
        whole=True,
        joins=Joins(),
    )[article_id]
    if not ready.repair:
        return orjson.Fragment(ready.data)
    body = ready.data[1:-1]
    return orjson.Fragment(
        b"[" + b",".join([part for part in (body, *ready.repair) if part]) + b"]"
    )
