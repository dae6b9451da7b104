"""Activity feeds per article and per entity, from the history kept of every write."""

import pytest

from annotator.models import Entity
from articles.services import article_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor_user):
    article, _ = article_create(
        user=editor_user, title="Tariffs", text="“We will negotiate,” said Ebrard.", language="en"
    )
    return article


def tag_through_api(client, article, words, label="quote", attributes=None):
    start = article.text.index(words)
    response = client.post(
        "/api/annotations/",
        {"article": article.pk, "label": label, "start": start, "end": start + len(words),
         "attributes": attributes or {}},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return response.json()


def test_article_feed_says_who_tagged_changed_and_reviewed_what(
    api_as, story, annotator_user, reviewer_user, editor_user
):
    quote = tag_through_api(api_as(annotator_user), story, "We will negotiate")
    edited = api_as(editor_user).patch(
        f"/api/annotations/{quote['id']}/",
        {"version": quote["version"], "attributes": {"speaker_name": "Marcelo Ebrard"}},
    )
    assert edited.status_code == 200
    api_as(reviewer_user).post(f"/api/annotations/{quote['id']}/approve/", {})
    feed = api_as(annotator_user).get(f"/api/articles/{story.pk}/activity/").json()
    assert [(e["user"], e["action"], e["object"]["type"]) for e in feed] == [
        ("rey", "approved", "annotation"),
        ("edith", "changed", "annotation"),
        ("anna", "tagged", "annotation"),
        ("edith", "added the article", "article"),
    ]
    change = feed[1]["changes"]
    assert {"field": "attributes", "from": {"attribution": "direct"},
            "to": {"attribution": "direct", "speaker_name": "Marcelo Ebrard"}} in change  # fmt: skip
    assert feed[2]["summary"] == "We will negotiate" and feed[2]["label"] == "quote"


def test_article_feed_pages_back_with_before_and_limit(api_as, story, annotator_user):
    client = api_as(annotator_user)
    for words in ("We", "will", "negotiate"):
        tag_through_api(client, story, words, label="other")
    first = client.get(f"/api/articles/{story.pk}/activity/", {"limit": 2}).json()
    assert [e["summary"] for e in first] == ["negotiate", "will"]
    rest = client.get(
        f"/api/articles/{story.pk}/activity/", {"limit": 2, "before": first[-1]["at"]}
    ).json()
    assert [e["summary"] for e in rest] == ["We", "Tariffs"]


def test_entity_feed_lists_the_spans_that_quote_it(api_as, story, annotator_user, reviewer_user):
    ebrard = Entity.objects.create(name="Marcelo Ebrard", type="person")
    quote = tag_through_api(
        api_as(annotator_user), story, "We will negotiate", attributes={"speaker": ebrard.pk}
    )
    api_as(reviewer_user).post(
        f"/api/annotations/{quote['id']}/reject/", {"note": "Not his words."}
    )
    feed = api_as(reviewer_user).get(f"/api/entities/{ebrard.pk}/activity/").json()
    assert [(e["user"], e["action"]) for e in feed[:2]] == [("rey", "rejected"), ("anna", "tagged")]
    assert feed[0]["note"] == "Not his words."


def test_feeds_are_pages_too(client, story, annotator_user, reviewer_user, api_as):
    ebrard = Entity.objects.create(name="Marcelo Ebrard", type="person")
    tag_through_api(
        api_as(annotator_user), story, "We will negotiate", attributes={"speaker": ebrard.pk}
    )
    client.force_login(reviewer_user)
    page = client.get(f"/articles/{story.pk}/activity/").content.decode()
    assert "<strong>anna</strong> tagged" in page and "We will negotiate" in page
    entity_page = client.get(f"/entities/{ebrard.pk}/").content.decode()
    assert "<strong>anna</strong> tagged" in entity_page


def test_an_article_the_user_may_not_read_has_no_feed(
    api_as, story, annotator_user, other_annotator
):
    story.assignees.set([other_annotator])
    assert api_as(annotator_user).get(f"/api/articles/{story.pk}/activity/").status_code == 404


def test_a_bad_limit_is_refused(api_as, story, annotator_user):
    response = api_as(annotator_user).get(f"/api/articles/{story.pk}/activity/", {"limit": 0})
    assert response.status_code == 400 and "limit" in response.json()


def test_a_feed_is_a_fixed_number_of_queries(
    api_as, story, annotator_user, django_assert_max_num_queries
):
    client = api_as(annotator_user)
    for words in ("We", "will", "negotiate", "said", "Ebrard"):
        tag_through_api(client, story, words, label="other")
    with django_assert_max_num_queries(12):
        feed = client.get(f"/api/articles/{story.pk}/activity/").json()
    assert len(feed) == 6  # five tags and the article added


def test_a_link_says_what_it_joins(api_as, story, annotator_user):
    client = api_as(annotator_user)
    quote = tag_through_api(client, story, "We will negotiate")
    speaker = tag_through_api(client, story, "Ebrard", label="person")
    response = client.post(
        "/api/relations/", {"source": quote["id"], "target": speaker["id"], "type": "spoken_by"}
    )
    assert response.status_code == 201
    (linked,) = [
        e
        for e in client.get(f"/api/articles/{story.pk}/activity/").json()
        if e["object"]["type"] == "relation"
    ]
    assert (linked["user"], linked["action"]) == ("anna", "linked")
    assert linked["summary"] == "“We will negotiate” spoken by “Ebrard”"
