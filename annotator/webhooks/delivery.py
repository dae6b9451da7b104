"""Sending one delivery: signed, to an address checked once per attempt, never following a
redirect; each attempt recorded, failures retried with exponential backoff, and an endpoint
that keeps failing disabled.

Why the address is pinned: a name checked and then resolved again by the HTTP library could
point somewhere else the second time (DNS rebinding). So the name is resolved once, every
address it gives is checked, and the connection is made to the checked address, with the name
kept for the Host header and TLS.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import orjson
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .validation import TEST_EVENT, host_allowed, why_not_public

USER_AGENT = "Newsdesk-Webhooks/1.0"
WAITING = (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING)


class Refused(Exception):
    """The target may not be sent to; trying again will not change that."""


def setting(name: str, default):
    return getattr(settings, name, default)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery, sent_at: datetime) -> bytes:
    return b'{"event":%b,"sent_at":%b,"data":%b}' % (
        orjson.dumps(delivery.event),
        orjson.dumps(sent_at.astimezone(UTC).isoformat().replace("+00:00", "Z")),
        bytes(delivery.data),
    )


def retry_delay(attempts_made: int) -> timedelta:
    """Exponential backoff: base, then four times longer each time (30 s, 2 min, 8 min, ...)."""
    base = setting("WEBHOOK_RETRY_BASE_SECONDS", 30)
    return timedelta(seconds=base * 4 ** (attempts_made - 1))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve(url: str) -> Target:
    """The URL's host resolved once; refused if any address it has is loopback, private,
    link-local or otherwise not public (unless DEBUG, or the host is allowed)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise OSError(f"cannot resolve {host}: {error.strerror or error}") from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not host_allowed(host):
        for address in addresses:
            reason = why_not_public(address)
            if reason:
                raise Refused(
                    f"refused: {host} resolves to {reason}; add the host to "
                    "WEBHOOK_ALLOWED_HOSTS to send webhooks there."
                )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # The certificate is checked against the name, not the address connected to.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    timeout = setting("WEBHOOK_TIMEOUT_SECONDS", 5)
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout)
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(2000)
    finally:
        connection.close()


def claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take a waiting delivery to send, or None if another worker has it or it is done.
    A conditional UPDATE, not a row lock held across the HTTP call (SQLite would stop every
    writer meanwhile); a claim left by a worker that died is taken again after a while."""
    stale = now - timedelta(seconds=setting("WEBHOOK_TIMEOUT_SECONDS", 5) * 4 + 60)
    claimable = WebhookDelivery.objects.filter(
        Q(status__in=WAITING) | Q(status=WebhookDelivery.Status.SENDING, claimed_at__lt=stale),
        # A disabled endpoint gets nothing but the test event that checks it is mended.
        Q(endpoint__active=True) | Q(event=TEST_EVENT),
        pk=delivery_id,
    )
    if not claimable.update(status=WebhookDelivery.Status.SENDING, claimed_at=now):
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def attempt(delivery: WebhookDelivery, *, now: datetime | None = None) -> WebhookAttempt:
    """Send a claimed delivery once and record the attempt and its consequences."""
    now = now or timezone.now()
    endpoint = delivery.endpoint
    body = body_of(delivery, now)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Newsdesk-Event": delivery.event,
        "X-Newsdesk-Delivery": str(delivery.pk),
        "X-Newsdesk-Signature": signature(endpoint.secret, body),
    }
    status_code, excerpt, error, address, final = None, b"", "", "", False
    started = time.perf_counter()
    try:
        target = resolve(endpoint.url)
        address = target.address
        status_code, excerpt = post(target, body, headers)
        if 300 <= status_code < 400:
            error = f"HTTP {status_code}: redirects are not followed; give the final URL."
        elif not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except Refused as refused:
        error, final = str(refused), True
    except (OSError, http.client.HTTPException, ssl.SSLError) as failure:
        error = f"{type(failure).__name__}: {failure}"
    duration_ms = (time.perf_counter() - started) * 1000
    return record(
        delivery,
        now=now,
        duration_ms=duration_ms,
        status_code=status_code,
        address=address,
        error=error,
        excerpt=excerpt.decode("utf-8", "replace"),
        give_up=final,
    )


@transaction.atomic
def record(
    delivery: WebhookDelivery,
    *,
    now: datetime,
    duration_ms: float,
    status_code: int | None,
    address: str,
    error: str,
    excerpt: str,
    give_up: bool,
) -> WebhookAttempt:
    succeeded = not error
    delivery.attempt_count += 1
    made = WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count,
        started_at=now,
        duration_ms=round(duration_ms, 2),
        succeeded=succeeded,
        status_code=status_code,
        address=address,
        error=error,
        response_excerpt=excerpt,
    )
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    if succeeded:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
        endpoint.consecutive_failures = 0
    else:
        endpoint.consecutive_failures += 1
        if give_up or delivery.attempt_count >= setting("WEBHOOK_MAX_ATTEMPTS", 6):
            delivery.status, delivery.next_attempt_at = "failed", None
        else:
            delivery.status = WebhookDelivery.Status.RETRYING
            delivery.next_attempt_at = now + retry_delay(delivery.attempt_count)
        if endpoint.active and endpoint.consecutive_failures >= setting(
            "WEBHOOK_DISABLE_AFTER_FAILURES", 10
        ):
            endpoint.active = False
            endpoint.disabled_at = now
            endpoint.disabled_reason = (
                f"Disabled after {endpoint.consecutive_failures} failed attempts in a row; "
                f"the last: {error}"
            )
    delivery.claimed_at = None
    delivery.save(
        update_fields=["attempt_count", "status", "delivered_at", "next_attempt_at", "claimed_at"]
    )
    endpoint.save(
        update_fields=["consecutive_failures", "active", "disabled_at", "disabled_reason"]
    )
    return made


def due(now: datetime) -> list[int]:
    """Deliveries whose time has come, for the sweep (``manage.py send_webhooks``): retries
    where the task backend cannot wait (the immediate one), and anything a lost worker left."""
    Status = WebhookDelivery.Status
    stale = now - timedelta(seconds=setting("WEBHOOK_TIMEOUT_SECONDS", 5) * 4 + 60)
    waiting = (
        Q(status=Status.RETRYING, next_attempt_at__lte=now)
        | Q(status=Status.PENDING, created_at__lt=now - timedelta(minutes=1))
        | Q(status=Status.SENDING, claimed_at__lt=stale)
    )
    return list(
        WebhookDelivery.objects.filter(waiting, endpoint__active=True)
        .order_by("id")
        .values_list("id", flat=True)[:500]
    )
