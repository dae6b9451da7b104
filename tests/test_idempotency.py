"""Idempotency-Key on every create: a retry answers the first response and creates nothing."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from annotator.idempotency.models import IdempotentRequest
from annotator.models import Annotation, Entity, Relation
from articles.models import Article
from tests.conftest import tag

pytestmark = pytest.mark.django_db


def post(client, path, body, key, **extra):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def create_calls(article, entity_span, quote_span):
    start = article.text.index("Café")
    return {
        "article": ("/api/articles/", {"title": "Nueva", "text": "Un texto nuevo."}, Article),
        "annotation": (
            "/api/annotations/",
            {"article": article.pk, "label": "claim", "start": start, "end": start + 4},
            Annotation,
        ),
        "bulk": (
            "/api/annotations/bulk/",
            [{"article": article.pk, "label": "claim", "start": start, "end": start + 4}],
            Annotation,
        ),
        "relation": (
            "/api/relations/",
            {"source": quote_span.pk, "target": entity_span.pk, "type": "spoken_by"},
            Relation,
        ),
        "entity": ("/api/entities/", {"name": "Ana Ruiz", "type": "person"}, Entity),
    }


@pytest.fixture
def quote_span(article, editor_user):
    return tag(article, editor_user, "quote", "Ça va très bien")


@pytest.mark.parametrize("door", ["article", "annotation", "bulk", "relation", "entity"])
def test_a_retry_answers_the_first_response_and_creates_nothing(
    api_as, editor_user, article, entity_span, quote_span, door
):
    path, body, model = create_calls(article, entity_span, quote_span)[door]
    client = api_as(editor_user)
    first = post(client, path, body, "retry-me-1")
    assert first.status_code == 201, first.content
    count = model.objects.count()
    again = post(client, path, body, "retry-me-1")
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert model.objects.count() == count


def test_without_a_key_a_retry_creates_again(api_as, editor_user):
    client = api_as(editor_user)
    client.post("/api/entities/", {"name": "Ana Ruiz", "type": "person"}, format="json")
    client.post("/api/entities/", {"name": "Ana Ruiz", "type": "person"}, format="json")
    assert Entity.objects.filter(name="Ana Ruiz").count() == 2


def test_the_same_key_with_another_body_gets_422(api_as, editor_user):
    client = api_as(editor_user)
    assert post(client, "/api/entities/", {"name": "Ana", "type": "person"}, "k").status_code == 201
    other = post(client, "/api/entities/", {"name": "Luis", "type": "person"}, "k")
    assert other.status_code == 422
    assert "different request" in other.json()["detail"]
    assert not Entity.objects.filter(name="Luis").exists()


def test_the_same_key_on_another_endpoint_gets_422(api_as, editor_user, article):
    client = api_as(editor_user)
    assert post(client, "/api/entities/", {"name": "Ana", "type": "person"}, "k").status_code == 201
    other = post(client, "/api/articles/", {"name": "Ana", "type": "person"}, "k")
    assert other.status_code == 422


def test_keys_belong_to_their_user(api_as, editor_user, annotator_user):
    body = {"name": "Ana Ruiz", "type": "person"}
    assert post(api_as(editor_user), "/api/entities/", body, "shared").status_code == 201
    theirs = post(api_as(annotator_user), "/api/entities/", body, "shared")
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs
    assert Entity.objects.filter(name="Ana Ruiz").count() == 2


def test_a_key_expires_after_24_hours(api_as, editor_user):
    client = api_as(editor_user)
    body = {"name": "Ana Ruiz", "type": "person"}
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        post(client, "/api/entities/", body, "daily")
        clock.shift(dt.timedelta(hours=23, minutes=59))
        assert "Idempotent-Replayed" in post(client, "/api/entities/", body, "daily")
        clock.shift(dt.timedelta(minutes=2))
        later = post(client, "/api/entities/", body, "daily")
    assert later.status_code == 201
    assert "Idempotent-Replayed" not in later
    assert Entity.objects.filter(name="Ana Ruiz").count() == 2
    assert IdempotentRequest.objects.count() == 1


def test_a_refused_request_keeps_no_key_so_the_corrected_retry_runs(api_as, editor_user):
    client = api_as(editor_user)
    refused = post(client, "/api/entities/", {"name": "Ana Ruiz", "type": "alien"}, "fix-me")
    assert refused.status_code == 400
    fixed = post(client, "/api/entities/", {"name": "Ana Ruiz", "type": "person"}, "fix-me")
    assert fixed.status_code == 201
    assert Entity.objects.filter(name="Ana Ruiz").count() == 1


@override_settings(ROOT_URLCONF="tests.idempotency_urls")
def test_a_request_that_fails_after_writing_leaves_nothing_behind(editor_user):
    from rest_framework.test import APIClient

    client = APIClient(raise_request_exception=False)
    client.force_authenticate(editor_user)
    response = post(client, "/api/create-then-fail/", {}, "half-made")
    assert response.status_code == 500
    assert not Article.objects.filter(title="Half made").exists()
    assert not IdempotentRequest.objects.exists()


def test_a_multipart_retry_with_a_new_boundary_is_the_same_request(editor_user):
    from django.test import Client

    client = Client()
    client.force_login(editor_user)

    def upload(boundary):
        body = (
            f"--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="story.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
            "Una historia corta.\r\n"
            f"--{boundary}--\r\n"
        ).encode()
        return client.generic(
            "POST",
            "/api/articles/",
            body,
            content_type=f"multipart/form-data; boundary={boundary}",
            HTTP_IDEMPOTENCY_KEY="upload-1",
        )

    first, second = upload("aaaa1111"), upload("bbbb2222")
    assert first.status_code == 201
    assert second.status_code == 201 and second["Idempotent-Replayed"] == "true"
    assert Article.objects.count() == 1


def test_a_malformed_key_gets_400(api_as, editor_user):
    response = post(api_as(editor_user), "/api/entities/", {"name": "A", "type": "person"}, " x")
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Entity.objects.exists()


def test_without_a_login_the_key_changes_nothing(client):
    response = client.post(
        "/api/entities/",
        {"name": "A", "type": "person"},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="anon",
    )
    assert response.status_code == 401
    assert not IdempotentRequest.objects.exists()


def test_token_scripts_get_replays_too(client, editor_user):
    from tests.conftest import PASSWORD

    token = client.post("/api/auth/token/", {"username": "edith", "password": PASSWORD}).json()
    headers = {"HTTP_AUTHORIZATION": f"Token {token['token']}", "HTTP_IDEMPOTENCY_KEY": "script-1"}
    body = '{"name": "Ana Ruiz", "type": "person"}'
    first = client.post("/api/entities/", body, content_type="application/json", **headers)
    again = client.post("/api/entities/", body, content_type="application/json", **headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert Entity.objects.filter(name="Ana Ruiz").count() == 1
