import re

import pytest

from annotator.models import Annotation, Entity
from annotator.representation import AnnotationSerializer
from annotator.services import annotation_create
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def post(client, article, **fields):
    return client.post("/api/annotations/", {"article": article.pk, **fields}, format="json")


def test_span_after_emoji_and_flags_gets_the_quote_the_user_saw(api_as, annotator_user, article):
    start = article.text.index("Claudia Sheinbaum")
    response = post(
        api_as(annotator_user),
        article,
        label="person",
        start=start,
        end=start + 17,
        quote="Claudia Sheinbaum",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["quote"] == "Claudia Sheinbaum"
    assert body["prefix"].endswith("el presidente 🎉 ")
    assert Annotation.objects.get(pk=body["id"]).quote == "Claudia Sheinbaum"


def test_quote_that_does_not_match_is_refused_and_nothing_is_stored(
    api_as, annotator_user, article
):
    response = post(api_as(annotator_user), article, label="claim", start=0, end=4, quote="Cafe")
    assert response.status_code == 400
    assert "quote does not match" in response.json()["quote"][0]
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"label": "claim", "start": 5, "end": 5}, "end"),
        ({"label": "claim", "start": 0, "end": 10_000}, "end"),
        ({"label": "claim", "start": -1, "end": 3}, "start"),
        ({"label": "nonsense", "start": 0, "end": 3}, "label"),
        ({"label": "claim", "start": "zero", "end": 3}, "start"),
        (
            {"label": "quote", "start": 0, "end": 4, "attributes": {"attribution": "shouted"}},
            "attributes.attribution",
        ),
        ({"label": "claim", "start": 0, "end": 4, "attributes": {"colour": "red"}}, "attributes"),
        (
            {"label": "person", "start": 0, "end": 4, "attributes": {"entity": 999999}},
            "attributes.entity",
        ),
    ],
)
def test_bad_annotation_input_is_a_400_naming_the_field(
    api_as, annotator_user, article, fields, field
):
    response = post(api_as(annotator_user), article, **fields)
    assert response.status_code == 400
    assert field in response.json()
    assert not Annotation.objects.exists()


def test_a_verdict_on_an_unfinished_check_is_refused(api_as, annotator_user, article):
    # The page offers a verdict only once the check is done; the API holds the same rule.
    response = post(
        api_as(annotator_user), article, label="claim", start=0, end=4,
        attributes={"fact_check_state": "checking", "verdict": "false"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "checked" in response.json()["attributes.verdict"][0]
    assert not Annotation.objects.exists()


def test_a_verdict_sent_alone_marks_the_check_done(api_as, annotator_user, article):
    response = post(
        api_as(annotator_user), article, label="claim", start=0, end=4,
        attributes={"verdict": "false"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["attributes"] == {"fact_check_state": "checked", "verdict": "false"}


def test_malformed_json_is_a_400(api_as, annotator_user):
    response = api_as(annotator_user).post(
        "/api/annotations/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_unknown_article_is_a_400(api_as, annotator_user):
    response = api_as(annotator_user).post(
        "/api/annotations/", {"article": 999, "label": "claim", "start": 0, "end": 2}
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["article"]


def test_response_carries_the_contract_fields(api_as, annotator_user, article):
    body = post(api_as(annotator_user), article, label="claim", start=0, end=4).json()
    for name in ["id", "article", "label", "kind", "start", "end", "quote", "prefix", "suffix", "attributes",
                 "status", "origin", "author", "version", "anchor_state"]:  # fmt: skip
        assert name in body
    assert (body["label"], body["kind"], body["status"], body["origin"], body["version"]) == (
        "claim",
        "claim",
        "pending",
        "human",
        1,
    )
    described = AnnotationSerializer().fields
    assert {name for name, field in described.items() if field.required} <= set(body)
    assert set(body) <= set(described)


def test_stale_version_is_a_409_and_changes_nothing(api_as, annotator_user, article):
    annotation = annotation_create(
        article=article, author=annotator_user, label="claim", start=0, end=4
    )
    client = api_as(annotator_user)
    first = client.patch(f"/api/annotations/{annotation.pk}/", {"version": 1, "label": "quote"})
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = client.patch(f"/api/annotations/{annotation.pk}/", {"version": 1, "label": "person"})
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    annotation.refresh_from_db()
    assert (annotation.label.slug, annotation.version) == ("quote", 2)


def test_patch_without_version_is_refused(api_as, annotator_user, article):
    annotation = annotation_create(
        article=article, author=annotator_user, label="claim", start=0, end=4
    )
    response = api_as(annotator_user).patch(
        f"/api/annotations/{annotation.pk}/", {"label": "quote"}
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_moving_boundaries_recomputes_quote_and_context(api_as, annotator_user, article):
    annotation = annotation_create(
        article=article, author=annotator_user, label="claim", start=0, end=4
    )
    start = article.text.index("Ciudad de México")
    response = api_as(annotator_user).patch(
        f"/api/annotations/{annotation.pk}/", {"version": 1, "start": start, "end": start + 16}
    )
    assert response.status_code == 200
    assert response.json()["quote"] == "Ciudad de México"


def test_bulk_create_is_all_or_nothing_with_per_item_errors(api_as, annotator_user, article):
    items = [
        {"article": article.pk, "label": "claim", "start": 0, "end": 4},
        {"article": article.pk, "label": "quote", "start": 3, "end": 2},
        {"article": article.pk, "label": "bogus", "start": 0, "end": 2},
    ]
    response = api_as(annotator_user).post("/api/annotations/bulk/", items)
    assert response.status_code == 400
    errors = response.json()["items"]
    assert set(errors) == {"1", "2"}
    assert "end" in errors["1"] and "label" in errors["2"]
    assert not Annotation.objects.exists()


def test_bulk_create_stores_every_item(api_as, annotator_user, article):
    items = [
        {"article": article.pk, "label": "claim", "start": i, "end": i + 3} for i in range(0, 30, 3)
    ]
    response = api_as(annotator_user).post("/api/annotations/bulk/", items)
    assert response.status_code == 201
    assert [a["start"] for a in response.json()] == list(range(0, 30, 3))
    assert Annotation.objects.count() == 10
    assert Annotation.history.filter(history_type="+").count() == 10


def test_bulk_answer_is_what_a_read_of_the_new_annotations_gives(
    api_as, annotator_user, article, entity_span
):
    # The answer is built from the values written, not read back: it must not differ by a byte
    # of meaning from what any later read shows (timestamps, links in attributes, order).
    person = entity_span.entity_id
    items = [
        {"article": article.pk, "label": "quote", "start": 30, "end": 40},
        {"article": article.pk, "label": "person", "start": 0, "end": 7,
         "attributes": {"entity": person}},
        {"article": article.pk, "label": "claim", "start": 10, "end": 20,
         "attributes": {"check_worthiness": "high"}, "confidence": 0.25, "suggester": "manual"},
        {"article": article.pk, "label": "claim", "start": 10, "end": 15},
    ]  # fmt: skip
    client = api_as(annotator_user)
    answer = client.post("/api/annotations/bulk/", items).json()
    assert [(a["start"], a["end"]) for a in answer] == [(0, 7), (10, 15), (10, 20), (30, 40)]
    for created in answer:
        assert client.get(f"/api/annotations/{created['id']}/").json() == created
    assert answer[0]["attributes"]["entity"] == person
    assert answer[0]["created_at"].endswith("Z") and len(answer[0]["created_at"]) == 27


def test_bulk_with_client_text_maps_offsets_through_normalisation(api_as, annotator_user, article):
    raw = article.text.replace("\n", "\r\n")
    start = raw.index("Claudia")
    response = api_as(annotator_user).post(
        "/api/annotations/bulk/",
        {
            "article": article.pk,
            "text": raw,
            "annotations": [
                {"label": "person", "start": start, "end": start + 7, "quote": "Claudia"}
            ],
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()[0]
    assert created["quote"] == "Claudia"
    assert article.text[created["start"] : created["end"]] == "Claudia"


def test_empty_bulk_list_is_refused(api_as, annotator_user):
    response = api_as(annotator_user).post("/api/annotations/bulk/", [], format="json")
    assert response.status_code == 400


def test_delete_is_soft_and_restorable(api_as, annotator_user, article):
    annotation = annotation_create(
        article=article, author=annotator_user, label="claim", start=0, end=4
    )
    client = api_as(annotator_user)
    assert client.delete(f"/api/annotations/{annotation.pk}/?version=1").status_code == 204
    assert client.get(f"/api/annotations/{annotation.pk}/").status_code == 404
    annotation.refresh_from_db()
    assert annotation.deleted_at is not None
    restored = client.post(f"/api/annotations/{annotation.pk}/restore/")
    assert restored.status_code == 200
    assert restored.json()["deleted"] is False


def test_delete_with_stale_version_is_a_409(api_as, annotator_user, article):
    annotation = annotation_create(
        article=article, author=annotator_user, label="claim", start=0, end=4
    )
    assert (
        api_as(annotator_user).delete(f"/api/annotations/{annotation.pk}/?version=7").status_code
        == 409
    )
    annotation.refresh_from_db()
    assert annotation.deleted_at is None


def test_updated_after_lists_changes_and_deletions(api_as, annotator_user, article):
    kept = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    gone = annotation_create(article=article, author=annotator_user, label="claim", start=5, end=8)
    client = api_as(annotator_user)
    since = client.get(f"/api/annotations/{kept.pk}/").json()["updated_at"]
    client.delete(f"/api/annotations/{gone.pk}/")
    body = client.get("/api/annotations/", {"updated_after": since}).json()
    assert [(a["id"], a["deleted"]) for a in body["results"]] == [(gone.pk, True)]
    plain = client.get("/api/annotations/").json()
    assert [a["id"] for a in plain["results"]] == [kept.pk]


def test_list_filters(api_as, annotator_user, other_annotator, article, entity_span):
    annotation_create(article=article, author=other_annotator, label="claim", start=0, end=4)
    client = api_as(annotator_user)

    def ids(**params):
        return [a["id"] for a in client.get("/api/annotations/", params).json()["results"]]

    assert ids(kind="entity") == [entity_span.pk]
    assert ids(label="person") == [entity_span.pk]
    assert ids(author="otto") != [] and entity_span.pk not in ids(author="otto")
    assert ids(q="sheinbaum") == [entity_span.pk]
    assert ids(status="approved") == []
    assert len(ids(article=article.pk, origin="human")) == 2
    assert ids(origin="machine") == []


def test_speaker_filter_lists_the_quotes_an_entity_spoke(api_as, annotator_user, article):
    sheinbaum = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    quote = tag(
        article,
        annotator_user,
        "quote",
        "Ça va très bien",
        {"speaker": sheinbaum.pk, "attribution": "direct"},
    )
    body = api_as(annotator_user).get("/api/annotations/", {"speaker": sheinbaum.pk}).json()
    assert [a["id"] for a in body["results"]] == [quote.pk]
    assert body["results"][0]["attributes"] == {"speaker": sheinbaum.pk, "attribution": "direct"}


def test_list_page_is_a_fixed_number_of_queries(
    api_as, annotator_user, article, django_assert_max_num_queries
):
    items = [{"label": "claim", "start": i, "end": i + 2} for i in range(0, 100)]
    from annotator.services import annotations_bulk_create

    annotations_bulk_create(article=article, author=annotator_user, items=items)
    client = api_as(annotator_user)
    client.get("/api/annotations/")  # warm the session and group caches
    with django_assert_max_num_queries(5):
        response = client.get("/api/annotations/", {"page_size": 100})
    assert len(response.json()["results"]) == 100


# Found by a schema-driven fuzzer (schemathesis) against /api/schema/: each was a 500.
def test_huge_or_fractional_id_filter_is_a_400(api_as, annotator_user):
    client = api_as(annotator_user)
    for value in ["-1.0821344652275059e+106", "1.5", "99999999999999999999999"]:
        response = client.get("/api/annotations/", {"speaker": value})
        assert response.status_code == 400, value
        assert "speaker" in response.json()


def test_bulk_with_an_object_as_article_is_a_400(api_as, annotator_user, article):
    response = api_as(annotator_user).post(
        "/api/annotations/bulk/", [{"article": {"id": 1}, "label": "claim", "start": 0, "end": 2}]
    )
    assert response.status_code == 400


def test_non_numeric_id_in_the_path_is_a_404(api_as, annotator_user):
    assert api_as(annotator_user).post("/api/annotations/null,null/restore/").status_code == 404


def test_errors_of_list_items_are_reported_not_a_500(api_as, editor_user):
    response = api_as(editor_user).post(
        "/api/articles/",
        {
            "title": "x",
            "text": "Some text",
            "annotations": [{"label": "claim", "start": "a", "end": 2}],
        },
    )
    assert response.status_code == 400
    assert "annotations" in response.json()


def test_bulk_create_queries_do_not_grow_with_items(
    api_as, annotator_user, article, django_assert_max_num_queries
):
    people = [Entity.objects.create(name=f"Person {n}", type="person").pk for n in range(5)]
    items = [
        {"article": article.pk, "label": "claim", "start": i % 100, "end": i % 100 + 2}
        if i % 2
        else {
            "article": article.pk,
            "label": "person",
            "start": i % 100,
            "end": i % 100 + 2,
            "attributes": {"entity": people[i % 5]},
        }
        for i in range(200)
    ]
    client = api_as(annotator_user)
    client.get("/api/labels/")
    with django_assert_max_num_queries(20):
        response = client.post("/api/annotations/bulk/", items)
    assert response.status_code == 201
    assert len(response.json()) == 200


@pytest.mark.writes_behind_the_apps_back
def test_timestamps_are_iso_utc_with_microseconds_always(api_as, annotator_user, article):
    from datetime import UTC, datetime

    annotation = annotation_create(
        article=article, author=annotator_user, label="claim", start=0, end=4
    )
    Annotation.objects.filter(pk=annotation.pk).update(
        created_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    body = api_as(annotator_user).get(f"/api/annotations/{annotation.pk}/").json()
    assert body["created_at"] == "2026-01-02T03:04:05.000000Z"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", body["updated_at"])
    assert body["reviewed_at"] is None
