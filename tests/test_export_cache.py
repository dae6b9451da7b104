"""ArticleAnnotationsCache: an export of everything an article holds is served from it, and no
write may leave it older than the annotations."""

import csv
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator import services
from annotator.assembly import store_in_cache
from annotator.models import Annotation, ArticleAnnotationsCache, Entity, Label
from articles.models import ArticleRevision
from articles.services import article_create, article_update, text_sha256
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def cache_of(article) -> ArticleAnnotationsCache:
    return ArticleAnnotationsCache.objects.get(article=article)


def jsonl(client, **params) -> dict:
    response = client.get("/api/export/jsonl/", params)
    assert response.status_code == 200
    (line,) = b"".join(response.streaming_content).splitlines()
    return json.loads(line)


def csv_rows(client, **params) -> list[dict]:
    response = client.get("/api/export/csv/", params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def warm(api_as, article, annotator_user):
    """An article with two tags whose export is cached."""
    spans = [
        tag(article, annotator_user, "person", "Claudia Sheinbaum"),
        tag(article, annotator_user, "claim", "Claudia Sheinbaum habló"),
    ]
    client = api_as(annotator_user)
    jsonl(client)
    assert cache_of(article).json is not None
    return {"client": client, "spans": spans, "article": article}


def test_every_article_gets_its_cache_row(editor_user):
    made, _ = article_create(user=editor_user, title="New", text="Some words.")
    assert cache_of(made).json is None


def test_the_second_export_is_read_from_the_cache_alone(warm):
    first = jsonl(warm["client"])
    with CaptureQueriesContext(connection) as queries:
        second = jsonl(warm["client"])
    assert second == first
    assert [a["quote"] for a in second["annotations"]] == [
        "Claudia Sheinbaum",
        "Claudia Sheinbaum habló",
    ]
    assert not [q for q in queries if "rendered_json" in q["sql"]]


def test_a_filtered_export_neither_reads_nor_fills_the_cache(api_as, article, annotator_user):
    tag(article, annotator_user, "person", "Claudia Sheinbaum")
    tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
    record = jsonl(api_as(annotator_user), label="claim")
    assert [a["label"] for a in record["annotations"]] == ["claim"]
    assert cache_of(article).json is None


def test_the_csv_is_cached_apart_and_shows_a_new_title(warm, editor_user):
    assert len(csv_rows(warm["client"])) == 2
    assert cache_of(warm["article"]).csv is not None
    article_update(article=warm["article"], user=editor_user, changes={"title": "=Renamed"})
    rows = csv_rows(warm["client"])
    assert [row["article_title"] for row in rows] == ["'=Renamed", "'=Renamed"]


def _edit(warm, users):
    services.annotation_update(
        annotation=warm["spans"][1],
        user=users["annotator"],
        version=1,
        changes={"attributes": {"check_worthiness": "high"}},
    )


def _review(warm, users):
    services.annotation_review(
        annotation=warm["spans"][1], reviewer=users["reviewer"], approve=True
    )


def _delete(warm, users):
    services.annotation_delete(annotation=warm["spans"][1], user=users["annotator"])


def _add(warm, users):
    tag(warm["article"], users["annotator"], "location", "Ciudad de México")


def _bulk_add(warm, users):
    text = warm["article"].text
    start = text.index("Ciudad de México")
    services.annotations_bulk_create(
        article=warm["article"],
        author=users["annotator"],
        items=[{"label": "location", "start": start, "end": start + len("Ciudad de México")}],
    )


def _update_behind_the_back(warm, users):
    Annotation.objects.filter(pk=warm["spans"][1].pk).update(review_note="by phone")


def _purge(warm, users):
    Annotation.objects.filter(pk=warm["spans"][1].pk).delete()


def _rename_label(warm, users):
    label = Label.objects.get(slug="claim")
    label.slug = "assertion"
    label.save()


def _rename_author(warm, users):
    users["annotator"].username = "ana.renamed"
    users["annotator"].save()


def _delete_linked_entity(warm, users):
    entity = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    Annotation.objects.filter(pk=warm["spans"][0].pk).update(entity=entity)
    jsonl(warm["client"])  # cached again, with the link
    entity.delete()


def _new_revision(warm, users):
    article = warm["article"]
    article_update(article=article, user=users["editor"], changes={"text": "Hoy. " + article.text})


@pytest.mark.parametrize(
    "write",
    [
        _edit, _review, _delete, _add, _bulk_add, _update_behind_the_back, _purge,
        _rename_label, _rename_author, _delete_linked_entity, _new_revision,
    ],
)  # fmt: skip
def test_every_write_clears_the_cache_and_the_next_export_shows_it(
    warm, write, annotator_user, reviewer_user, editor_user
):
    users = {"annotator": annotator_user, "reviewer": reviewer_user, "editor": editor_user}
    write(warm, users)
    assert cache_of(warm["article"]).json is None
    live = Annotation.objects.filter(article=warm["article"], deleted_at__isnull=True)
    fresh = jsonl(warm["client"])
    # A filter makes the export assemble from the annotations, without the cache.
    uncached = jsonl(warm["client"], created_after="2000-01-01T00:00:00Z")
    assert fresh["annotations"] == uncached["annotations"]
    expected = {
        (a.pk, a.version, a.label.slug, a.author.username, a.start, a.review_note, a.entity_id)
        for a in live.select_related("label", "author")
    }
    assert {
        (
            a["id"], a["version"], a["label"], a["author"], a["start"], a["review_note"],
            a["attributes"].get("entity"),
        )
        for a in fresh["annotations"]
    } == expected  # fmt: skip
    # Filled again by the first export that found nothing left to render (at most the second).
    jsonl(warm["client"])
    assert cache_of(warm["article"]).json is not None
    assert jsonl(warm["client"]) == fresh


def test_a_store_after_a_write_is_refused(warm, annotator_user):
    article = warm["article"]
    ArticleAnnotationsCache.clear([article.pk])
    read = cache_of(article).generation
    tag(article, annotator_user, "location", "Ciudad de México")  # lands after the read
    digest = cache_of(article).text_sha256
    store_in_cache("json", {article.pk: (b"[]", [])}, {article.pk: read}, {article.pk: digest})
    assert cache_of(article).json is None


def test_a_damaged_span_is_reported_whether_or_not_the_cache_is_warm(warm):
    damaged = warm["spans"][1]
    Annotation.objects.filter(pk=damaged.pk).update(quote="Somewhere else")
    report = [{"id": damaged.pk, "reason": "quote no longer matches the text"}]
    for _ in range(2):
        record = jsonl(warm["client"])
        assert record["needs_repair"] == report
        assert damaged.pk not in [a["id"] for a in record["annotations"]]
    assert Annotation.objects.get(pk=damaged.pk).anchor_state == "orphaned"


def test_a_login_does_not_clear_the_cache(warm, annotator_user):
    from django.utils import timezone

    annotator_user.last_login = timezone.now()
    annotator_user.save(update_fields=["last_login"])
    get_user_model().objects.get(pk=annotator_user.pk).save()
    assert cache_of(warm["article"]).json is not None


def test_the_page_feed_is_the_cached_array_then_the_spans_to_repair(warm):
    person, claim = warm["spans"]
    url = f"/api/articles/{warm['article'].pk}/annotations/"
    feed = warm["client"].get(url).json()
    assert [a["id"] for a in feed] == [person.pk, claim.pk]
    assert all("start_utf16" in a for a in feed)
    Annotation.objects.filter(pk=person.pk).update(quote="Somewhere else")
    feed = warm["client"].get(url).json()
    assert [(a["id"], a["anchor_state"]) for a in feed] == [
        (claim.pk, "anchored"),
        (person.pk, "orphaned"),
    ]


def test_the_feed_carries_exactly_the_fields_the_schema_describes(warm):
    from annotator.api.serializers import AnnotationSerializer

    (first, *_) = warm["client"].get(f"/api/articles/{warm['article'].pk}/annotations/").json()
    assert set(first) == set(AnnotationSerializer().fields)


def test_a_bulk_load_assembles_the_cache_once_it_commits(
    api_as, article, annotator_user, django_capture_on_commit_callbacks
):
    start = article.text.index("Claudia Sheinbaum")
    items = [{"label": "person", "start": start, "end": start + len("Claudia Sheinbaum")}]
    with django_capture_on_commit_callbacks(execute=True):
        services.annotations_bulk_create(article=article, author=annotator_user, items=items)
        assert cache_of(article).json is None  # not before the commit
    cache = cache_of(article)
    assert cache.json is not None and cache.csv is not None
    client = api_as(annotator_user)
    uncached = jsonl(client, created_after="2000-01-01T00:00:00Z")
    assert json.loads(bytes(cache.json)) == uncached["annotations"]


def test_a_new_text_assembles_the_cache_once_it_commits(
    warm, editor_user, django_capture_on_commit_callbacks
):
    article = warm["article"]
    with django_capture_on_commit_callbacks(execute=True):
        article_update(article=article, user=editor_user, changes={"text": "Hoy. " + article.text})
    cached = json.loads(bytes(cache_of(article).json))
    assert [a["start"] for a in cached] == [s.start + len("Hoy. ") for s in warm["spans"]]


def test_a_text_changed_behind_the_apps_back_is_checked_again(warm):
    article = warm["article"]
    person, claim = warm["spans"]
    damaged = article.text.replace("Claudia Sheinbaum", "Claudio Sheinbaum")
    ArticleRevision.objects.filter(pk=article.current_revision_id).update(text=damaged)
    record = jsonl(warm["client"])
    assert record["annotations"] == []
    assert {s["id"] for s in record["needs_repair"]} == {person.pk, claim.pk}


def test_a_part_checked_against_another_text_is_dropped(warm):
    article = warm["article"]
    longer = article.text + " Fin."
    ArticleRevision.objects.filter(pk=article.current_revision_id).update(text=longer)
    assert len(csv_rows(warm["client"])) == 2
    cache = cache_of(article)
    assert cache.csv is not None and cache.json is None
    assert cache.text_sha256 == text_sha256(longer)
