"""Failed-login limits on the token endpoint and the login page: per username (10 in 15
minutes by default) and, wider, per address; 429 with Retry-After; other users unaffected."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings

from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
LOGIN = "/accounts/login/"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def token_attempt(client, username, password, address="10.1.1.1"):
    return client.post(TOKEN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_tenth_wrong_password_is_refused_then_the_right_one_gets_429(client, editor_user):
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            assert token_attempt(client, "edith", "wrong").status_code == 400
        locked = token_attempt(client, "edith", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "Too many failed logins" in locked.json()["detail"]
    assert "token" not in locked.json()


def test_other_users_at_the_same_address_still_get_tokens(client, editor_user, reviewer_user):
    with time_machine.travel(START, tick=False):
        for _ in range(12):
            token_attempt(client, "edith", "wrong")
        assert token_attempt(client, "edith", PASSWORD).status_code == 429
        response = token_attempt(client, "rey", PASSWORD)
    assert response.status_code == 200
    assert response.json()["token"]


def test_lock_ends_with_its_window_and_retry_after_counts_down(client, editor_user):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(10):
            token_attempt(client, "edith", "wrong")
        clock.shift(dt.timedelta(minutes=5))
        # Attempts while locked are not counted: the lock still ends 15 minutes after it began.
        assert token_attempt(client, "edith", PASSWORD)["Retry-After"] == "600"
        clock.shift(dt.timedelta(minutes=10, seconds=1))
        response = token_attempt(client, "edith", PASSWORD)
    assert response.status_code == 200


def test_failures_outside_the_window_do_not_add_up(client, editor_user):
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(9):
            token_attempt(client, "edith", "wrong")
        clock.shift(dt.timedelta(minutes=16))
        for _ in range(9):
            token_attempt(client, "edith", "wrong")
        assert token_attempt(client, "edith", PASSWORD).status_code == 200


def test_a_successful_login_clears_that_users_failures(client, editor_user):
    with time_machine.travel(START, tick=False):
        for _ in range(9):
            token_attempt(client, "edith", "wrong")
        assert token_attempt(client, "edith", PASSWORD).status_code == 200
        for _ in range(9):
            token_attempt(client, "edith", "wrong")
        assert token_attempt(client, "edith", PASSWORD).status_code == 200


@override_settings(LOGIN_FAILURE_LIMIT_PER_ADDRESS=5)
def test_one_address_trying_many_accounts_is_stopped(client, editor_user):
    with time_machine.travel(START, tick=False):
        for number in range(5):
            assert token_attempt(client, f"guess{number}", "wrong").status_code == 400
        from_there = token_attempt(client, "edith", PASSWORD)
        from_elsewhere = token_attempt(client, "edith", PASSWORD, address="10.2.2.2")
    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 200


def test_a_username_spelled_like_an_address_does_not_lock_that_address(client, editor_user):
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            token_attempt(client, "10.9.9.9", "wrong", address="10.1.1.1")
        response = token_attempt(client, "edith", PASSWORD, address="10.9.9.9")
    assert response.status_code == 200


def page_attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.1.1.1")


def test_login_page_locks_a_username_after_ten_failures(editor_user, reviewer_user):
    client = Client()
    with time_machine.travel(START, tick=False):
        for _ in range(10):
            page = page_attempt(client, "edith", "wrong")
            assert page.status_code == 200
            assert "correct username and password" in page.content.decode()
        locked = page_attempt(client, "edith", PASSWORD)
        colleague = page_attempt(Client(), "rey", PASSWORD)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "Too many failed logins. Try again in 15 minute(s)." in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert colleague.status_code == 302


def test_page_and_token_endpoint_share_one_count(client, editor_user):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            page_attempt(Client(), "edith", "wrong")
        for _ in range(5):
            token_attempt(client, "edith", "wrong")
        assert token_attempt(client, "edith", PASSWORD).status_code == 429
        assert page_attempt(Client(), "edith", PASSWORD).status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_the_username_limit_is_a_setting(client, db):
    make_user("sam")
    with time_machine.travel(START, tick=False):
        for _ in range(3):
            token_attempt(client, "sam", "wrong")
        assert token_attempt(client, "sam", PASSWORD).status_code == 429
