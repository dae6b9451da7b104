"""Content-Security-Policy with a nonce on every page, HSTS when configured."""

import re

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def script_src(response) -> str:
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    return directives["script-src"]


@pytest.mark.parametrize("path", ["/", "/review/", "/entities/", "/articles/new/"])
def test_pages_allow_only_own_scripts_and_the_pages_nonce(client, editor_user, path):
    client.force_login(editor_user)
    response = client.get(path)
    assert response.status_code == 200
    sources = script_src(response)
    nonce = re.fullmatch(r"'self' 'nonce-([A-Za-z0-9_-]{16,})'", sources)
    assert nonce, sources
    assert "unsafe-inline" not in sources and "unsafe-eval" not in sources
    assert f'nonce="{nonce.group(1)}"' in response.content.decode()


def test_the_annotation_page_has_a_policy(client, editor_user, article):
    client.force_login(editor_user)
    response = client.get(f"/articles/{article.pk}/")
    assert "'nonce-" in script_src(response)


def test_every_answer_gets_a_new_nonce(client):
    first = script_src(client.get("/accounts/login/"))
    second = script_src(client.get("/accounts/login/"))
    assert first != second


def test_policy_forbids_plugins_framing_and_foreign_forms(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    for directive in [
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ]:
        assert directive in policy


def test_api_answers_carry_the_policy_too(api_as, editor_user):
    response = api_as(editor_user).get("/api/labels/")
    assert script_src(response) == "'self'"


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https_once_configured(client):
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    # Over plain HTTP the header means nothing and must not be sent.
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")


def test_no_hsts_by_default(client):
    assert "Strict-Transport-Security" not in client.get("/accounts/login/", secure=True)
