"""The quote, claim and article lists: filters, counts, default order, search hits marked."""

import re
from datetime import UTC, datetime

import pytest

from annotator.models import Annotation, Entity
from articles.models import Article
from articles.services import article_create
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def new_article(user, title, text, **extra):
    article, _ = article_create(user=user, title=title, text=text, language="en", **extra)
    return article


def listed_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'data-annotation-id="(\d+)"', response.content.decode())]


def article_ids(response) -> list[int]:
    return [int(x) for x in re.findall(r'data-article-id="(\d+)"', response.content.decode())]


def total(response) -> int:
    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


@pytest.fixture
def desk(editor_user, annotator_user):
    """Two articles, three quotes (one by a linked speaker), three claims."""
    march = new_article(
        editor_user,
        "Tariffs",
        "“We will negotiate the tariffs,” said Ebrard. Exports doubled. Prices fell.",
        published_at=datetime(2026, 3, 2, 12, tzinfo=UTC),
    )
    may = new_article(
        editor_user,
        "Cartels",
        "“They designated the cartels,” said Sheinbaum. “No comment,” said Ruiz. Crime fell.",
        published_at=datetime(2026, 5, 20, 12, tzinfo=UTC),
    )
    sheinbaum = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    spans = {
        "ebrard": tag(march, annotator_user, "quote", "We will negotiate the tariffs", {"speaker_name": "Marcelo Ebrard"}),
        "sheinbaum": tag(may, annotator_user, "quote", "They designated the cartels", {"speaker": sheinbaum.pk}),
        "ruiz": tag(may, annotator_user, "quote", "No comment", {"speaker_name": "Ana Ruiz"}),
        "exports": tag(march, annotator_user, "claim", "Exports doubled", {"verdict": "false", "fact_check_state": "checked"}),
        "prices": tag(march, annotator_user, "claim", "Prices fell", {"fact_check_state": "checking"}),
        "crime": tag(may, annotator_user, "claim", "Crime fell",
                     {"verdict": "true", "fact_check_state": "checked", "verdict_note": "Homicide figures dropped."}),
    }  # fmt: skip
    return {"march": march, "may": may, "speaker": sheinbaum, **spans}


def test_quotes_are_newest_first_with_a_count(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    response = client.get("/quotes/")
    assert listed_ids(response) == [desk["ruiz"].pk, desk["sheinbaum"].pk, desk["ebrard"].pk]
    assert total(response) == 3


def test_quotes_searched_are_ranked_and_the_words_marked(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    response = client.get("/quotes/", {"q": "designating cartel"})
    assert listed_ids(response) == [desk["sheinbaum"].pk]
    html = response.content.decode()
    assert '<mark class="search-hit">designated</mark>' in html
    assert '<mark class="search-hit">cartels</mark>' in html
    assert listed_ids(client.get("/quotes/", {"q": "ebrard"})) == [desk["ebrard"].pk]


def test_quotes_filter_by_speaker_article_and_date(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    assert listed_ids(client.get("/quotes/", {"speaker": desk["speaker"].pk})) == [
        desk["sheinbaum"].pk
    ]
    assert listed_ids(client.get("/quotes/", {"article": desk["march"].pk})) == [desk["ebrard"].pk]
    in_may = client.get("/quotes/", {"date_from": "2026-05-01", "date_to": "2026-05-31"})
    assert listed_ids(in_may) == [desk["ruiz"].pk, desk["sheinbaum"].pk]
    assert total(in_may) == 2


def test_claims_filter_by_verdict_fact_check_state_and_text(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    assert listed_ids(client.get("/claims/", {"verdict": "false"})) == [desk["exports"].pk]
    checked = client.get("/claims/", {"fact_check_state": "checked"})
    assert listed_ids(checked) == [desk["crime"].pk, desk["exports"].pk]
    assert listed_ids(client.get("/claims/", {"q": "homicide"})) == [desk["crime"].pk]
    assert listed_ids(client.get("/claims/", {"article": desk["may"].pk})) == [desk["crime"].pk]


@pytest.mark.writes_behind_the_apps_back  # a claim stored before the state existed
def test_a_claim_stored_without_a_state_counts_as_unchecked(client, reviewer_user, desk):
    Annotation.objects.filter(pk=desk["prices"].pk).update(attributes={})
    client.force_login(reviewer_user)
    assert listed_ids(client.get("/claims/", {"fact_check_state": "unchecked"})) == [
        desk["prices"].pk
    ]


def test_a_bad_filter_answers_400_with_its_reason(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    response = client.get("/quotes/", {"speaker": "sheinbaum", "date_from": "May"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "speaker" in html and "date_from" in html and "Enter a" in html
    assert listed_ids(response) == []
    assert client.get("/claims/", {"verdict": "maybe"}).status_code == 400


def test_the_api_takes_the_same_filters(api_as, reviewer_user, desk):
    client = api_as(reviewer_user)

    def ids(**params):
        return [a["id"] for a in client.get("/api/annotations/", params).json()["results"]]

    assert ids(kind="claim", verdict="true", fact_check_state="checked") == [desk["crime"].pk]
    assert ids(kind="quote", date_from="2026-05-01", ordering="-created_at") == [
        desk["ruiz"].pk,
        desk["sheinbaum"].pk,
    ]
    assert client.get("/api/annotations/", {"verdict": "maybe"}).status_code == 400


def test_lists_are_a_fixed_number_of_queries(
    client, reviewer_user, desk, annotator_user, django_assert_max_num_queries
):
    for i in range(20):
        tag(desk["may"], annotator_user, "quote", "No comment", {"speaker_name": f"Person {i}"})
    client.force_login(reviewer_user)
    client.get("/quotes/")
    with django_assert_max_num_queries(12):
        assert client.get("/quotes/", {"q": "comment"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/claims/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_articles_are_newest_first_with_counts_per_kind(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    response = client.get("/")
    assert article_ids(response) == [desk["may"].pk, desk["march"].pk]
    row = re.search(
        rf'data-article-id="{desk["may"].pk}".*?</tr>', response.content.decode(), re.S
    ).group()
    assert [int(n) for n in re.findall(r'class="num">(\d+)<', row)] == [1, 2, 0, 3]


def test_articles_filter_by_label_count_status_and_assignee(
    client, editor_user, annotator_user, desk
):
    desk["march"].assignees.set([annotator_user])
    Article.objects.filter(pk=desk["may"].pk).update(status="annotating")
    client.force_login(editor_user)
    assert article_ids(client.get("/", {"label": "claim", "label_min": 2})) == [desk["march"].pk]
    assert article_ids(client.get("/", {"label": "quote", "label_min": 2})) == [desk["may"].pk]
    assert article_ids(client.get("/", {"status": "annotating"})) == [desk["may"].pk]
    assert article_ids(client.get("/", {"assignee": "anna"})) == [desk["march"].pk]
    assert article_ids(client.get("/", {"assignee": "none"})) == [desk["may"].pk]
    assert article_ids(client.get("/", {"q": "negotiating"})) == [desk["march"].pk]
    assert client.get("/", {"label_min": "many"}).status_code == 400


def test_article_search_marks_the_passage(client, reviewer_user, desk):
    client.force_login(reviewer_user)
    html = client.get("/", {"q": "designating"}).content.decode()
    assert '<mark class="search-hit">designated</mark>' in html


def test_the_article_api_takes_the_same_filters(api_as, editor_user, annotator_user, desk):
    desk["march"].assignees.set([annotator_user])
    client = api_as(editor_user)

    def ids(**params):
        return [a["id"] for a in client.get("/api/articles/", params).json()["results"]]

    assert ids(assignee="anna") == [desk["march"].pk]
    assert ids(label="quote", label_min=2) == [desk["may"].pk]
    assert ids(ordering="created_at") == [desk["march"].pk, desk["may"].pk]
