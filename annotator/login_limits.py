"""Failed-login limits for the login page and `POST /api/auth/token/`, through django-axes.

Axes hooks into Django's authentication (its backend refuses a locked-out login before any
password is checked, its signal handlers count failures, its middleware answers the lockout),
so every door that calls ``authenticate()`` with the request is covered. Its stock handlers
compare every counter against one limit, though, and this project needs two: a tight one per
username (DESIGN.md: 10 failures in 15 minutes) so guessing one account's password stops,
while colleagues behind the same newsroom address still log in; and a wider one per address,
so one address cannot try many accounts. This handler keeps both counters in Django's cache,
each in a fixed window opened by the window's first failure: a lock ends when its window does,
which is the `Retry-After` the answer carries. Attempts made while locked are not counted, so
a locked-out user who keeps trying is not kept out longer.

Settings: `LOGIN_FAILURE_LIMIT` (per username), `LOGIN_FAILURE_LIMIT_PER_ADDRESS`,
`LOGIN_FAILURE_WINDOW` (a timedelta, also Axes' `AXES_COOLOFF_TIME`).
"""

from __future__ import annotations

import hashlib
import math
import time
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from rest_framework.throttling import BaseThrottle

LOCKED_MESSAGE = "Too many failed logins. Try again in {minutes} minute(s)."


def client_address(request: HttpRequest) -> str:
    """The client's address the way DRF's throttles see it (honours `NUM_PROXIES`), so the
    login limits and the API rate limits agree on who is asking."""
    return BaseThrottle().get_ident(request)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


class LoginLimits(AxesCacheHandler):
    """Axes' cache handler with one failure limit per username and a wider one per address."""

    def __init__(self) -> None:
        # Axes keeps one handler for the process; look the cache up on use instead of holding
        # the one that existed at start-up (tests swap caches).
        pass

    @property
    def cache(self):
        return caches[getattr(settings, "AXES_CACHE", "default")]

    def _counters(self, request, credentials: dict | None) -> list[tuple[str, int]]:
        """(cache key, limit) for each counter this attempt belongs to. The kind is part of
        the key, so a username spelled like an address never shares that address's counter."""
        counters = []
        username = get_client_username(request, credentials)
        if isinstance(username, str) and username:
            counters.append((f"login-failures:user:{_digest(username)}", _limit("user")))
        address = getattr(request, "axes_ip_address", None) or client_address(request)
        if address:
            counters.append((f"login-failures:address:{_digest(address)}", _limit("address")))
        return counters

    def _window_seconds(self) -> int:
        return max(1, int(settings.LOGIN_FAILURE_WINDOW.total_seconds()))

    def get_failures(self, request, credentials: dict | None = None) -> int:
        return max(
            (self.cache.get(key, 0) for key, _ in self._counters(request, credentials)), default=0
        )

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return self.retry_after(request, credentials) > 0

    def retry_after(self, request, credentials: dict | None = None) -> int:
        """Seconds until every counter that is over its limit has expired (0: not locked)."""
        now = time.time()
        wait = 0.0
        for key, limit in self._counters(request, credentials):
            if self.cache.get(key, 0) >= limit:
                ends = self.cache.get(f"{key}:ends", now + self._window_seconds())
                wait = max(wait, ends - now)
        return math.ceil(wait) if wait > 0 else 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        if request is None or self.is_whitelisted(request, credentials):
            return
        if getattr(request, "axes_locked_out", False):
            # Refused by the lock itself: not a password tried, so not counted.
            return
        window = self._window_seconds()
        for key, _ in self._counters(request, credentials):
            # add() opens the window only if none is open; the end time lives beside the
            # count because caches do not portably tell a key's remaining lifetime.
            if self.cache.add(key, 1, timeout=window):
                self.cache.set(f"{key}:ends", time.time() + window, timeout=window)
            else:
                try:
                    self.cache.incr(key)
                except ValueError:
                    # The window closed between add() and incr(): this failure opens the next.
                    self.cache.add(key, 1, timeout=window)
                    self.cache.set(f"{key}:ends", time.time() + window, timeout=window)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        # The right password ends that user's run of failures; the address keeps its count,
        # or an attacker with one account could wipe the address counter between guesses.
        key = f"login-failures:user:{_digest(user.get_username())}"
        self.cache.delete_many([key, f"{key}:ends"])

    def user_logged_out(self, sender, request, user, **kwargs) -> None:
        return None

    def reset_attempts(
        self,
        *,
        ip_address: str | None = None,
        username: str | None = None,
        ip_or_username: bool = False,
    ) -> int:
        """What `manage.py axes_reset_username` / `axes_reset_ip` call."""
        keys = []
        if username:
            keys.append(f"login-failures:user:{_digest(username)}")
        if ip_address:
            keys.append(f"login-failures:address:{_digest(ip_address)}")
        found = sum(1 for key in keys if self.cache.get(key) is not None)
        self.cache.delete_many([*keys, *(f"{key}:ends" for key in keys)])
        return found


class LoginLimitBackend(AxesStandaloneBackend):
    """Axes' check before any password is tried, for the logins that come through a door.

    Axes refuses every ``authenticate()`` made without a request; calls from code (a test
    client's ``login()``, a management command) have no address to count and are no door an
    attacker can knock on, so they pass to the next backend unchecked. The login page and
    the token endpoint always pass their request."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _limit(kind: str) -> int:
    return (
        settings.LOGIN_FAILURE_LIMIT if kind == "user" else settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """429 with `Retry-After`: JSON for the API, the login page with a message for people."""
    from axes.handlers.proxy import AxesProxyHandler

    handler = AxesProxyHandler.get_implementation()
    wait = handler.retry_after(request, credentials) if isinstance(handler, LoginLimits) else 0
    wait = wait or int(settings.LOGIN_FAILURE_WINDOW.total_seconds())
    message = LOCKED_MESSAGE.format(minutes=math.ceil(wait / 60))
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "retry_after": wait}, status=429)
    else:
        response = render(
            request, "registration/login.html", {"locked_message": message}, status=429
        )
    response["Retry-After"] = str(wait)
    return response
