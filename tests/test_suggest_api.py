"""POST /api/articles/{id}/suggest/ end to end: the contract's shape, the spoken_by links,
permissions, bad input, and what running it again adds."""

import pytest

from annotator.models import Annotation, Entity, Relation
from annotator.services import annotation_create
from articles.services import article_create

from .suggest_fixtures import STORY


@pytest.fixture
def story(editor_user):
    created, _ = article_create(user=editor_user, title="Extraditions", text=STORY)
    return created


def suggest(client, article):
    return client.post(f"/api/articles/{article.pk}/suggest/")


def test_every_suggestion_has_the_contract_fields(api_as, annotator_user, story):
    response = suggest(api_as(annotator_user), story)
    assert response.status_code == 201
    body = response.json()
    assert {row["kind"] for row in body} == {"quote", "entity", "claim"}
    for row in body:
        assert row["origin"] == "machine" and row["status"] == "suggested"
        assert 0 <= row["confidence"] <= 1
        assert row["suggester"]
        assert row["quote"] == STORY[row["start"] : row["end"]]
    quote = next(r for r in body if r["quote"] == "Every one of them had a court order,")
    assert quote["attributes"]["speaker_name"] == "Arturo Reyes"
    assert quote["attributes"]["attribution"] == "direct"
    claim = next(r for r in body if r["kind"] == "claim")
    assert claim["attributes"]["check_worthiness"] in {"high", "medium", "low"}
    assert Annotation.objects.filter(article=story, origin="machine").count() == len(body)


def test_a_quote_is_linked_to_its_speakers_span_and_entity(api_as, annotator_user, story):
    reyes = Entity.objects.create(name="Arturo Reyes", type="person")
    body = suggest(api_as(annotator_user), story).json()
    quote = next(r for r in body if r["quote"] == "Every one of them had a court order,")
    assert quote["attributes"]["speaker"] == reyes.pk
    relation = Relation.objects.get(source_id=quote["id"], type="spoken_by")
    assert relation.target.quote == "Arturo Reyes" and relation.target.label.slug == "person"
    assert relation.target.entity_id == reyes.pk


def test_a_speaker_already_tagged_by_a_person_gets_the_link(api_as, annotator_user, story):
    start = STORY.index("Maria Lopez")
    tagged = annotation_create(
        article=story, author=annotator_user, label="person", start=start, end=start + 11
    )
    body = suggest(api_as(annotator_user), story).json()
    quote = next(r for r in body if r["quote"].startswith("This is a turning point"))
    assert Relation.objects.get(source_id=quote["id"]).target_id == tagged.pk
    # The person's tag stands; no suggestion is made over it.
    assert not any(r["start"] == start and r["kind"] == "entity" for r in body)


def test_running_again_adds_nothing(api_as, annotator_user, story):
    client = api_as(annotator_user)
    first = suggest(client, story).json()
    assert first
    again = suggest(client, story)
    assert again.status_code == 201 and again.json() == []
    assert Annotation.objects.filter(article=story).count() == len(first)


def test_a_reviewer_may_not_suggest_and_nothing_is_written(api_as, reviewer_user, story):
    response = suggest(api_as(reviewer_user), story)
    assert response.status_code == 403
    assert not Annotation.objects.filter(article=story).exists()


def test_an_unknown_article_is_404(api_as, annotator_user):
    assert api_as(annotator_user).post("/api/articles/987654/suggest/").status_code == 404


def test_suggest_runs_in_a_bounded_number_of_queries(
    api_as, annotator_user, story, django_assert_max_num_queries
):
    client = api_as(annotator_user)
    with django_assert_max_num_queries(40):
        assert suggest(client, story).status_code == 201


@pytest.mark.parametrize(
    "fields",
    [{"confidence": 1.5}, {"confidence": "high"}, {"suggester": "x" * 51}, {"suggester": 12}],
)
def test_bad_machine_fields_are_refused(api_as, annotator_user, story, fields):
    response = api_as(annotator_user).post(
        "/api/annotations/bulk/",
        [{"article": story.pk, "label": "person", "start": 0, "end": 6, **fields}],
    )
    assert response.status_code == 400
    assert set(response.json()["items"]["0"]) == set(fields)
    assert not Annotation.objects.filter(article=story).exists()


def test_a_label_switched_off_is_not_suggested(api_as, annotator_user, story):
    from annotator.models import Label

    Label.objects.filter(slug="location").update(active=False)
    response = suggest(api_as(annotator_user), story)
    assert response.status_code == 201
    labels = {row["label"] for row in response.json()}
    assert "location" not in labels and {"person", "quote", "claim"} <= labels


def test_the_answer_lists_check_worthy_claims_first(api_as, annotator_user, editor_user):
    text = (
        "The government approved the new budget on Tuesday.\n\n"
        "The ministry said 1,250 people were deported in 2025, up 40% from the year before."
    )
    article, _ = article_create(user=editor_user, title="Budget", text=text)
    body = suggest(api_as(annotator_user), article).json()
    claims = [
        (r["attributes"]["check_worthiness"], r["start"]) for r in body if r["kind"] == "claim"
    ]
    # The later sentence is the more check-worthy one, so it comes first.
    assert claims == [("high", text.index("The ministry")), ("low", 0)]
