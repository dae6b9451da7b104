"""Tokens for scripts: one per login, expiring, revocable; the contract's answer and header."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def get_token(client, username="edith"):
    response = client.post("/api/auth/token/", {"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def articles_with(client, token):
    return client.get("/api/articles/", HTTP_AUTHORIZATION=f"Token {token}")


def test_token_answer_has_the_token_and_its_expiry(client, editor_user):
    body = get_token(client)
    assert set(body) == {"token", "expiry"}
    assert articles_with(client, body["token"]).status_code == 200


def test_json_login_works_too(client, editor_user):
    response = client.post(
        "/api/auth/token/",
        {"username": "edith", "password": PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert articles_with(client, response.json()["token"]).status_code == 200


def test_every_login_gets_its_own_token(client, editor_user):
    first, second = get_token(client)["token"], get_token(client)["token"]
    assert first != second
    assert articles_with(client, first).status_code == 200
    assert articles_with(client, second).status_code == 200


def test_logout_revokes_only_the_token_it_carries(client, editor_user):
    first, second = get_token(client)["token"], get_token(client)["token"]
    response = client.post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Token {first}")
    assert response.status_code == 204
    assert articles_with(client, first).status_code == 401
    assert articles_with(client, second).status_code == 200


def test_logout_all_revokes_every_token_of_the_user(client, editor_user, reviewer_user):
    mine = [get_token(client)["token"] for _ in range(3)]
    theirs = get_token(client, "rey")["token"]
    response = client.post("/api/auth/logout-all/", HTTP_AUTHORIZATION=f"Token {mine[0]}")
    assert response.status_code == 204
    assert [articles_with(client, token).status_code for token in mine] == [401, 401, 401]
    assert articles_with(client, theirs).status_code == 200


def test_tokens_expire(client, editor_user):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        token = get_token(client)["token"]
        clock.shift(settings.API_TOKEN_TTL - dt.timedelta(seconds=1))
        assert articles_with(client, token).status_code == 200
        clock.shift(dt.timedelta(seconds=2))
        response = articles_with(client, token)
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_a_token_of_the_old_kind_or_garbage_gets_401(client, editor_user):
    for header in ["Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "Token", "Token a b"]:
        assert client.get("/api/articles/", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_token_that_is_not_utf8_gets_401_not_500(client, editor_user):
    response = client.get("/api/articles/", HTTP_AUTHORIZATION="Token \xff\xfe")
    assert response.status_code == 401


def test_logout_without_a_token_gets_401(client, editor_user):
    assert client.post("/api/auth/logout/").status_code == 401
