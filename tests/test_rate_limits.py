"""API rate limits: room for scripts by default, 429 with Retry-After beyond, per user."""

import datetime as dt

import pytest
import time_machine
from django.test import override_settings

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_default_limit_lets_a_script_make_three_hundred_calls_in_one_second(api_as, editor_user):
    client = api_as(editor_user)
    with time_machine.travel(START, tick=False):
        answers = [client.get("/api/labels/").status_code for _ in range(300)]
        over = client.get("/api/labels/")
    assert answers == [200] * 300
    assert over.status_code == 429
    assert over["Retry-After"] == "1"
    assert "throttled" in over.json()["detail"].lower()


def test_the_next_second_has_room_again(api_as, editor_user):
    client = api_as(editor_user)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(301):
            client.get("/api/labels/")
        clock.shift(dt.timedelta(seconds=1.01))
        assert client.get("/api/labels/").status_code == 200


@override_settings(API_RATE_LIMITS={"user": "5/m", "anon": "3/m"})
def test_limits_are_settings_and_count_per_user(api_as, editor_user, reviewer_user):
    with time_machine.travel(START, tick=False):
        editor = api_as(editor_user)
        assert [editor.get("/api/labels/").status_code for _ in range(6)] == [200] * 5 + [429]
        assert api_as(reviewer_user).get("/api/labels/").status_code == 200


@override_settings(API_RATE_LIMITS={"user": "100/s", "anon": "3/m"})
def test_calls_without_a_login_are_limited_per_address(client, editor_user):
    with time_machine.travel(START, tick=False):
        answers = [
            client.post("/api/auth/token/", {}, REMOTE_ADDR="10.3.3.3").status_code
            for _ in range(4)
        ]
        elsewhere = client.post("/api/auth/token/", {}, REMOTE_ADDR="10.4.4.4")
    assert answers == [400, 400, 400, 429]
    assert elsewhere.status_code == 400
