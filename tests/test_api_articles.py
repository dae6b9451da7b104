import pytest

from annotator.models import Annotation
from annotator.services import annotation_create
from articles.models import Article, ArticleRevision

pytestmark = pytest.mark.django_db


def test_editor_creates_an_article_and_gets_the_stored_text(api_as, editor_user):
    response = api_as(editor_user).post(
        "/api/articles/",
        {
            "title": "T",
            "text": "\ufeff\r\nLine one\r\nCafe\u0301 ✓\r\n\r\n",
            "byline": "A. Reporter",
            "language": "en",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["text"] == "Line one\nCafé ✓"
    for field in [
        "id",
        "title",
        "byline",
        "source_url",
        "published_at",
        "language",
        "status",
        "revision",
        "text",
    ]:
        assert field in body
    assert (body["status"], body["revision"]) == ("draft", 1)
    revision = ArticleRevision.objects.get(article_id=body["id"])
    assert revision.text == body["text"] and len(revision.sha256) == 64


def test_same_text_returns_the_existing_article(api_as, editor_user):
    client = api_as(editor_user)
    first = client.post("/api/articles/", {"title": "A", "text": "Same words.\n"})
    second = client.post("/api/articles/", {"title": "B", "text": "Same words."})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Article.objects.count() == 1


def test_create_with_annotations_maps_offsets_from_the_sent_text(api_as, editor_user):
    raw = "Intro\r\nEl presidente 🎉 dijo “hola”.\r\n"
    start = raw.index("presidente")
    response = api_as(editor_user).post(
        "/api/articles/",
        {
            "title": "x",
            "text": raw,
            "annotations": [
                {"label": "person", "start": start, "end": start + 10, "quote": "presidente"}
            ],
        },
    )
    assert response.status_code == 201, response.json()
    annotation = Annotation.objects.get()
    assert annotation.quote == "presidente"
    assert response.json()["text"][annotation.start : annotation.end] == "presidente"


def test_create_with_a_bad_annotation_stores_nothing(api_as, editor_user):
    response = api_as(editor_user).post(
        "/api/articles/",
        {
            "title": "x",
            "text": "Some text",
            "annotations": [{"label": "claim", "start": 0, "end": 99}],
        },
    )
    assert response.status_code == 400
    assert "0" in response.json()["annotations"]
    assert not Article.objects.exists()


@pytest.mark.parametrize("text", ["", "   \n\n  ", None])
def test_empty_text_is_refused(api_as, editor_user, text):
    response = api_as(editor_user).post(
        "/api/articles/", {"title": "x", "text": text}, format="json"
    )
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_text_over_the_limit_is_refused(api_as, editor_user, settings):
    settings.ARTICLE_MAX_TEXT_CHARS = 10
    response = api_as(editor_user).post("/api/articles/", {"title": "x", "text": "x" * 11})
    assert response.status_code == 400
    assert "limit" in response.json()["text"][0]


def test_new_text_makes_a_revision_and_reanchors_annotations(api_as, editor_user, annotator_user):
    client = api_as(editor_user)
    article_id = client.post(
        "/api/articles/", {"title": "x", "text": "Mayor Ana Ruiz said the budget is fine."}
    ).json()["id"]
    article = Article.objects.get(pk=article_id)
    moved = annotation_create(
        article=article, author=annotator_user, label="person", start=6, end=14
    )
    lost = annotation_create(
        article=article, author=annotator_user, label="claim", start=24, end=38
    )
    response = client.patch(
        f"/api/articles/{article_id}/", {"text": "Yesterday, Mayor Ana Ruiz said nothing."}
    )
    assert response.status_code == 200
    assert response.json()["revision"] == 2
    moved.refresh_from_db()
    lost.refresh_from_db()
    assert (moved.anchor_state, response.json()["text"][moved.start : moved.end]) == (
        "moved",
        "Ana Ruiz",
    )
    assert lost.anchor_state == "orphaned"
    revisions = client.get(f"/api/articles/{article_id}/revisions/").json()
    assert [(r["number"], r["current"]) for r in revisions] == [(1, False), (2, True)]


def test_article_search_finds_words_in_text_and_title(api_as, editor_user, article):
    client = api_as(editor_user)
    assert [
        a["id"] for a in client.get("/api/articles/", {"q": "Sheinbaum habló"}).json()["results"]
    ] == [article.pk]
    assert client.get("/api/articles/", {"q": "absent-word"}).json()["results"] == []


def test_article_annotations_feed_lists_everything_in_text_order(
    api_as, annotator_user, article, entity_span
):
    claim = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    body = api_as(annotator_user).get(f"/api/articles/{article.pk}/annotations/").json()
    assert [a["id"] for a in body] == [claim.pk, entity_span.pk]


def test_deleted_article_disappears_but_stays_in_the_database(api_as, editor_user, article):
    client = api_as(editor_user)
    assert client.delete(f"/api/articles/{article.pk}/").status_code == 204
    assert client.get(f"/api/articles/{article.pk}/").status_code == 404
    assert Article.objects.get(pk=article.pk).deleted_at is not None


def test_article_list_is_a_fixed_number_of_queries(
    api_as, editor_user, django_assert_max_num_queries
):
    client = api_as(editor_user)
    for i in range(15):
        client.post("/api/articles/", {"title": f"t{i}", "text": f"Article number {i}."})
    with django_assert_max_num_queries(4):
        response = client.get("/api/articles/")
    assert response.json()["count"] == 15


def test_article_with_expanded_annotations_in_one_call(
    api_as, annotator_user, article, entity_span, django_assert_max_num_queries
):
    client = api_as(annotator_user)
    client.get(f"/api/articles/{article.pk}/")
    with django_assert_max_num_queries(7):  # the cache is cold: the rows are read
        body = client.get(f"/api/articles/{article.pk}/", {"expand": "annotations"}).json()
    with django_assert_max_num_queries(6):  # warm: their state alone
        again = client.get(f"/api/articles/{article.pk}/", {"expand": "annotations"}).json()
    assert again == body
    assert body["text"] == article.text
    assert [a["quote"] for a in body["annotations"]] == ["Claudia Sheinbaum"]
