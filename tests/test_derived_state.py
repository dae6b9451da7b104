"""What a client reads after every kind of write: the assembled annotations (cached per article)
always show the database as it is, reads never write, and only the services write annotations."""

import json
import os
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotator import services
from annotator.models import Annotation, Entity, Label
from articles.models import ArticleRevision
from tests.conftest import tag

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I)


def jsonl(client, **params) -> dict:
    response = client.get("/api/export/jsonl/", params)
    assert response.status_code == 200
    (line,) = b"".join(response.streaming_content).splitlines()
    return json.loads(line)


def feed(client, article) -> list[dict]:
    return client.get(f"/api/articles/{article.pk}/annotations/").json()


@pytest.fixture
def read(api_as, article, annotator_user, entity_span):
    """An article with two tags, read once (so its assembled annotations are cached)."""
    claim = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    client = api_as(annotator_user)
    jsonl(client)
    feed(client, article)
    return {"client": client, "article": article, "spans": [entity_span, claim]}


def _edit(read, users):
    services.annotation_update(
        annotation=read["spans"][1],
        user=users["annotator"],
        version=1,
        changes={"attributes": {"check_worthiness": "high"}},
    )


def _review(read, users):
    services.annotation_review(
        annotation=read["spans"][1], reviewer=users["reviewer"], approve=True
    )


def _delete(read, users):
    services.annotation_delete(annotation=read["spans"][1], user=users["annotator"])


def _restore(read, users):
    _delete(read, users)
    jsonl(read["client"])
    services.annotation_restore(annotation=read["spans"][1], user=users["editor"])


def _add(read, users):
    tag(read["article"], users["annotator"], "location", "Ciudad de México")


def _bulk_add(read, users):
    start = read["article"].text.index("Ciudad de México")
    services.annotations_bulk_create(
        article=read["article"],
        author=users["annotator"],
        items=[{"label": "location", "start": start, "end": start + len("Ciudad de México")}],
    )


def _purge(read, users):
    services.annotation_purge(annotation=read["spans"][1], user=users["root"])


def _rename_label(read, users):
    label = Label.objects.get(slug="claim")
    label.slug = "assertion"
    label.save()


def _rename_label_by_update(read, users):
    Label.objects.filter(slug="claim").update(slug="assertion", kind="claim")


def _rename_author_by_update(read, users):
    get_user_model().objects.filter(pk=users["annotator"].pk).update(username="ana.renamed")


def _merge_entities(read, users):
    keep = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    other = Entity.objects.create(name="Sheinbaum", type="person")
    span = read["spans"][0]
    services.annotation_update(
        annotation=span,
        user=users["annotator"],
        version=1,
        changes={"attributes": {"entity": other.pk}},
    )
    jsonl(read["client"])
    services.entities_merge(keep=keep, merge=other, user=users["editor"])


def _delete_linked_entity(read, users):
    entity = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    services.annotation_update(
        annotation=read["spans"][0],
        user=users["annotator"],
        version=1,
        changes={"attributes": {"entity": entity.pk}},
    )
    jsonl(read["client"])
    services.entity_delete(entity=entity, user=users["editor"])


def _new_text(read, users):
    article = read["article"]
    services.article_update(
        article=article, user=users["editor"], changes={"text": "Hoy. " + article.text}
    )


WRITES = [
    _edit, _review, _delete, _restore, _add, _bulk_add, _purge, _rename_label,
    _rename_label_by_update, _rename_author_by_update, _merge_entities, _delete_linked_entity,
    _new_text,
]  # fmt: skip


@pytest.mark.parametrize("write", WRITES, ids=[w.__name__.strip("_") for w in WRITES])
def test_after_every_kind_of_write_reads_show_the_database(
    read, write, annotator_user, reviewer_user, editor_user, superuser
):
    users = {
        "annotator": annotator_user,
        "reviewer": reviewer_user,
        "editor": editor_user,
        "root": superuser,
    }
    write(read, users)
    client = read["client"]
    whole = jsonl(client)
    # A filter makes the export assemble from the rows each time, never from the cache.
    filtered = jsonl(client, created_after="2000-01-01T00:00:00Z")
    assert whole["annotations"] == filtered["annotations"]
    live = Annotation.objects.filter(article=read["article"], deleted_at__isnull=True)
    expected = {
        (a.pk, a.version, a.label.slug, a.author.username, a.start, a.status, a.entity_id)
        for a in live.select_related("label", "author")
    }
    shown = {
        (a["id"], a["version"], a["label"], a["author"], a["start"], a["status"],
         a["attributes"].get("entity"))
        for a in whole["annotations"]
    }  # fmt: skip
    assert shown == expected
    assert {(a["id"], a["version"], a["label"]) for a in feed(client, read["article"])} == {
        (pk, version, label) for pk, version, label, *_ in expected
    }


def test_a_second_whole_read_does_not_read_the_annotation_rows_again(read):
    client, article = read["client"], read["article"]
    with CaptureQueriesContext(connection) as cold:
        first = jsonl(client)
    with CaptureQueriesContext(connection) as warm:
        again = jsonl(client)
    assert again == first
    reads_rows = re.compile(r'SELECT .*"annotator_annotation"\."quote"', re.S)
    assert not [q for q in warm if reads_rows.search(q["sql"])]
    assert len(warm) < len(cold) or not [q for q in cold if reads_rows.search(q["sql"])]
    assert [a["quote"] for a in again["annotations"]] == [
        "Claudia Sheinbaum",
        "Claudia Sheinbaum habló",
    ]
    assert article.pk == again["id"]


def test_the_csv_shows_a_new_title_without_its_rows_changing(read, editor_user, api_as):
    services.article_update(
        article=read["article"], user=editor_user, changes={"title": "=Renamed"}
    )
    response = api_as(editor_user).get("/api/export/csv/")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.count("'=Renamed") == 2


def test_a_text_changed_behind_the_apps_back_is_checked_again(read):
    article = read["article"]
    damaged = article.text.replace("Claudia Sheinbaum", "Claudio Sheinbaum")
    ArticleRevision.objects.filter(pk=article.current_revision_id).update(text=damaged)
    record = jsonl(read["client"])
    assert record["annotations"] == []
    assert {s["id"] for s in record["needs_repair"]} == {s.pk for s in read["spans"]}


def _reads(article, entity) -> list[str]:
    pk = article.pk
    return [
        f"/api/articles/{pk}/annotations/",
        f"/api/articles/{pk}/?expand=annotations",
        f"/api/articles/{pk}/",
        "/api/articles/",
        f"/api/articles/{pk}/revisions/",
        "/api/annotations/",
        f"/api/annotations/?article={pk}&updated_after=2000-01-01T00:00:00Z",
        *(f"/api/export/{fmt}/" for fmt in ("jsonl", "csv", "w3c", "conll", "brat", "claimreview")),
        f"/api/export/jsonl/?article={pk}&label=claim",
        f"/api/entities/{entity.pk}/mentions/",
        reverse("article-annotate", args=[pk]),
        reverse("article-list"),
        reverse("review"),
        reverse("quote-list"),
        reverse("claim-list"),
        reverse("entity-detail", args=[entity.pk]),
    ]


def test_reads_of_freshly_written_articles_write_nothing(
    client, editor_user, annotator_user, article
):
    entity = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    tag(article, annotator_user, "person", "Claudia Sheinbaum", {"entity": entity.pk})
    tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    services.article_update(
        article=article, user=editor_user, changes={"text": "Hoy. " + article.text}
    )
    client.force_login(editor_user)
    for url in _reads(article, entity):
        for _ in range(2):  # nothing assembled yet, then assembled
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            assert response.status_code == 200, url
            assert not [q["sql"] for q in queries if WRITE.match(q["sql"])], url


def test_code_outside_the_services_cannot_write_annotations(article, annotator_user):
    span = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    with pytest.raises(AssertionError, match="outside annotator.services"):
        Annotation.objects.filter(pk=span.pk).update(review_note="by phone")
    with pytest.raises(AssertionError, match="outside annotator.services"):
        span.save()


@pytest.fixture
def shared_cache(settings):
    """The deployment's caches: Redis shared by every app process (a key prefix of this test's
    own, as xdist workers share the server), and each process's copy in front of it."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        **settings.CACHES,
        "annotations": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "KEY_PREFIX": prefix,
            "TIMEOUT": 300,
        },
        "annotations_local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": prefix,
            "TIMEOUT": None,
        },
    }
    from django.core.cache import caches

    # Not cleared afterwards: clear() would flush the Redis database under the other workers'
    # tests; the entries expire instead.
    return caches


def test_with_a_shared_cache_every_process_reads_what_the_last_write_left(
    shared_cache, api_as, article, annotator_user, other_annotator
):
    # Two app processes: this one, and one whose own copies are gone (cleared below).
    client = api_as(annotator_user)
    first = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    assert [a["id"] for a in feed(client, article)] == [first.pk]
    second = tag(article, other_annotator, "person", "Claudia Sheinbaum")
    assert {a["id"] for a in feed(client, article)} == {first.pk, second.pk}
    services.annotation_delete(annotation=first, user=annotator_user)
    assert [a["id"] for a in feed(client, article)] == [second.pk]
    shared_cache["annotations_local"].clear()
    with CaptureQueriesContext(connection) as queries:
        shown = feed(client, article)
    assert [a["id"] for a in shown] == [second.pk]
    # The other process took the entry this one assembled from the shared cache, not the rows.
    reads_rows = re.compile(r'SELECT .*"annotator_annotation"\."quote"', re.S)
    assert not [q for q in queries if reads_rows.search(q["sql"])]
