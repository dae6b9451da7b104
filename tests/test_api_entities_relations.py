import pytest

from annotator.models import Entity, Relation
from annotator.services import annotation_create
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def test_entity_with_a_taken_wikidata_id_is_a_400(api_as, annotator_user):
    client = api_as(annotator_user)
    assert (
        client.post(
            "/api/entities/",
            {"name": "Claudia Sheinbaum", "type": "person", "wikidata_qid": "Q4401233"},
        ).status_code
        == 201
    )
    response = client.post(
        "/api/entities/", {"name": "C. Sheinbaum", "type": "person", "wikidata_qid": "Q4401233"}
    )
    assert response.status_code == 400
    assert Entity.objects.count() == 1


def test_entity_with_a_malformed_wikidata_id_is_a_400(api_as, annotator_user):
    response = api_as(annotator_user).post(
        "/api/entities/", {"name": "X", "type": "person", "wikidata_qid": "42"}
    )
    assert response.status_code == 400
    assert "wikidata_qid" in response.json()


def test_entity_mentions_lists_spans_quotes_and_claims(
    api_as, annotator_user, article, entity_span
):
    sheinbaum = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    client = api_as(annotator_user)
    client.patch(
        f"/api/annotations/{entity_span.pk}/",
        {"version": 1, "attributes": {"entity": sheinbaum.pk}},
    )
    quote = tag(article, annotator_user, "quote", "Ça va très bien", {"speaker": sheinbaum.pk})
    claim = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    client.post("/api/relations/", {"source": claim.pk, "target": entity_span.pk, "type": "about"})
    body = client.get(f"/api/entities/{sheinbaum.pk}/mentions/").json()
    assert [a["id"] for a in body["mentions"]] == [entity_span.pk]
    assert [a["id"] for a in body["quotes"]] == [quote.pk]
    assert [a["id"] for a in body["claims"]] == [claim.pk]


def test_relation_to_itself_or_twice_is_a_400(api_as, annotator_user, article, entity_span):
    client = api_as(annotator_user)
    same = client.post(
        "/api/relations/", {"source": entity_span.pk, "target": entity_span.pk, "type": "about"}
    )
    assert same.status_code == 400
    claim = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    assert (
        client.post(
            "/api/relations/", {"source": claim.pk, "target": entity_span.pk, "type": "about"}
        ).status_code
        == 201
    )
    again = client.post(
        "/api/relations/", {"source": claim.pk, "target": entity_span.pk, "type": "about"}
    )
    assert again.status_code == 400
    assert Relation.objects.count() == 1


def test_relation_across_articles_is_a_400(api_as, annotator_user, editor_user, entity_span):
    from articles.services import article_create

    other, _ = article_create(user=editor_user, title="Other", text="Another story entirely.")
    elsewhere = annotation_create(
        article=other, author=annotator_user, label="claim", start=0, end=7
    )
    response = api_as(annotator_user).post(
        "/api/relations/", {"source": elsewhere.pk, "target": entity_span.pk, "type": "about"}
    )
    assert response.status_code == 400
    assert "same article" in response.json()["target"][0]
