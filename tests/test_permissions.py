"""Each role × endpoint × method: the status code, and that a refused call changed nothing."""

import pytest
from django.contrib.auth import get_user_model

from annotator.models import Annotation, Entity
from annotator.services import annotation_create
from articles.models import Article
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "annotator", "editor", "reviewer", "superuser"]


@pytest.fixture
def world(
    annotator_user, other_annotator, editor_user, reviewer_user, outsider, superuser, article
):
    theirs = annotation_create(
        article=article, author=other_annotator, label="claim", start=0, end=4
    )
    users = {
        "anonymous": None, "outsider": outsider, "annotator": annotator_user,
        "editor": editor_user, "reviewer": reviewer_user, "superuser": superuser,
    }  # fmt: skip
    return {"users": users, "article": article, "theirs": theirs}


def snapshot():
    return (
        list(
            Article.objects.values_list(
                "id", "title", "status", "deleted_at", "current_revision_id"
            )
        ),
        list(
            Annotation.objects.values_list(
                "id", "label_id", "start", "end", "status", "version", "deleted_at"
            )
        ),
        list(Entity.objects.values_list("id", "name")),
    )


CASES = [
    # name, method, url, body, expected status per role (in ROLES order)
    ("list articles", "get", "/api/articles/", None, [401, 403, 200, 200, 200, 200]),
    (
        "create article",
        "post",
        "/api/articles/",
        {"title": "n", "text": "New article text."},
        [401, 403, 403, 201, 403, 201],
    ),
    (
        "edit article",
        "patch",
        "/api/articles/{article}/",
        {"title": "Changed"},
        [401, 403, 403, 200, 403, 200],
    ),
    (
        "publish article",
        "patch",
        "/api/articles/{article}/",
        {"status": "annotating"},
        [401, 403, 403, 200, 403, 200],
    ),
    ("delete article", "delete", "/api/articles/{article}/", None, [401, 403, 403, 204, 403, 204]),
    ("list annotations", "get", "/api/annotations/", None, [401, 403, 200, 200, 200, 200]),
    (
        "create annotation",
        "post",
        "/api/annotations/",
        {"article": "{article}", "label": "claim", "start": 5, "end": 9},
        [401, 403, 201, 201, 403, 201],
    ),
    (
        "bulk create",
        "post",
        "/api/annotations/bulk/",
        [{"article": "{article}", "label": "claim", "start": 5, "end": 9}],
        [401, 403, 201, 201, 403, 201],
    ),
    (
        "edit another's annotation",
        "patch",
        "/api/annotations/{theirs}/",
        {"version": 1, "label": "quote"},
        [401, 403, 403, 200, 403, 200],
    ),
    (
        "delete another's annotation",
        "delete",
        "/api/annotations/{theirs}/",
        None,
        [401, 403, 403, 204, 403, 204],
    ),
    ("approve", "post", "/api/annotations/{theirs}/approve/", {}, [401, 403, 403, 403, 200, 200]),
    (
        "reject",
        "post",
        "/api/annotations/{theirs}/reject/",
        {"note": "Not a claim."},
        [401, 403, 403, 403, 200, 200],
    ),
    (
        "create entity",
        "post",
        "/api/entities/",
        {"name": "Ana Ruiz", "type": "person"},
        [401, 403, 201, 201, 403, 201],
    ),
    ("list labels", "get", "/api/labels/", None, [401, 403, 200, 200, 200, 200]),
    ("export", "get", "/api/export/jsonl/", None, [401, 403, 200, 200, 200, 200]),
    ("schema", "get", "/api/schema/", None, [401, 403, 200, 200, 200, 200]),
    ("docs", "get", "/api/docs/", None, [401, 403, 200, 200, 200, 200]),
]


def fill(value, world):
    if isinstance(value, str):
        return value.format(article=world["article"].pk, theirs=world["theirs"].pk)
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    if isinstance(value, dict):
        return {
            k: int(fill(v, world)) if v in ("{article}", "{theirs}") else fill(v, world)
            for k, v in value.items()
        }
    return value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "body", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_role_matrix(world, role, name, method, url, body, expected):
    client = client_for(world["users"][role])
    before = snapshot()
    kwargs = {"format": "json"} if body is not None else {}
    response = (
        getattr(client, method)(fill(url, world), fill(body, world), **kwargs)
        if body is not None
        else getattr(client, method)(fill(url, world))
    )
    assert response.status_code == expected[ROLES.index(role)], (
        role,
        name,
        getattr(response, "data", None),
    )
    if response.status_code >= 400:
        assert snapshot() == before


def test_annotator_cannot_approve_own_annotation(api_as, annotator_user, article):
    mine = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    response = api_as(annotator_user).post(f"/api/annotations/{mine.pk}/approve/")
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.status == "pending"


def test_annotator_edits_own_pending_annotation_but_not_once_approved(
    api_as, annotator_user, reviewer_user, article
):
    mine = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    client = api_as(annotator_user)
    assert (
        client.patch(f"/api/annotations/{mine.pk}/", {"version": 1, "label": "quote"}).status_code
        == 200
    )
    api_as(reviewer_user).post(f"/api/annotations/{mine.pk}/approve/")
    assert (
        client.patch(f"/api/annotations/{mine.pk}/", {"version": 3, "label": "claim"}).status_code
        == 403
    )


def test_token_auth_works_for_scripts(client, editor_user):
    from tests.conftest import PASSWORD

    token = client.post("/api/auth/token/", {"username": "edith", "password": PASSWORD}).json()[
        "token"
    ]
    response = client.get("/api/articles/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_wrong_password_gets_no_token(client, editor_user):
    response = client.post("/api/auth/token/", {"username": "edith", "password": "nope"})
    assert response.status_code == 400
    assert "token" not in response.json()


def test_anonymous_pages_redirect_to_login(client):
    for url in [
        "/",
        "/articles/1/",
        "/review/",
        "/entities/",
        "/quotes/",
        "/claims/",
        "/articles/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), url


def test_outsider_pages_are_forbidden(client, outsider):
    client.force_login(outsider)
    assert client.get("/").status_code == 403


def test_annotator_cannot_reach_the_upload_page(client, annotator_user):
    client.force_login(annotator_user)
    response = client.get("/articles/new/")
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1


@pytest.fixture
def assigned_elsewhere(article, other_annotator, editor_user):
    """The article, assigned to someone else: closed to the other annotators."""
    from articles.services import article_create

    article.assignees.set([other_annotator])
    open_article, _ = article_create(user=editor_user, title="Open", text="Open to everyone.")
    return article, open_article


def test_annotator_reads_open_and_assigned_articles_only(
    api_as, annotator_user, other_annotator, assigned_elsewhere
):
    closed, open_article = assigned_elsewhere
    mine = [a["id"] for a in api_as(annotator_user).get("/api/articles/").json()["results"]]
    theirs = [a["id"] for a in api_as(other_annotator).get("/api/articles/").json()["results"]]
    assert mine == [open_article.pk]
    assert sorted(theirs) == sorted([open_article.pk, closed.pk])
    assert api_as(annotator_user).get(f"/api/articles/{closed.pk}/").status_code == 404


def test_annotator_cannot_tag_or_export_an_article_assigned_to_another(
    api_as, annotator_user, other_annotator, assigned_elsewhere, client
):
    closed, _ = assigned_elsewhere
    theirs = annotation_create(
        article=closed, author=other_annotator, label="claim", start=0, end=4
    )
    api = api_as(annotator_user)
    before = snapshot()
    assert (
        api.post(
            "/api/annotations/", {"article": closed.pk, "label": "claim", "start": 5, "end": 8}
        ).status_code
        == 400
    )
    assert api.get(f"/api/annotations/{theirs.pk}/").status_code == 404
    assert api.get("/api/annotations/").json()["results"] == []
    exported = b"".join(api.get("/api/export/jsonl/", {"article": closed.pk}).streaming_content)
    assert exported == b""
    assert snapshot() == before
    client.force_login(annotator_user)
    assert client.get(f"/articles/{closed.pk}/").status_code == 404


def test_editor_assigns_annotators_by_username(api_as, editor_user, annotator_user, article):
    response = api_as(editor_user).patch(f"/api/articles/{article.pk}/", {"assignees": ["anna"]})
    assert response.status_code == 200
    assert response.json()["assignees"] == ["anna"]
    unknown = api_as(editor_user).patch(f"/api/articles/{article.pk}/", {"assignees": ["nobody"]})
    assert unknown.status_code == 400
    assert list(article.assignees.values_list("username", flat=True)) == ["anna"]


def test_reviewers_read_every_article(api_as, reviewer_user, assigned_elsewhere):
    assert len(api_as(reviewer_user).get("/api/articles/").json()["results"]) == 2
