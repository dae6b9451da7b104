"""Answer a retried API POST from its first response instead of running it twice.

A POST under /api/ (log-in and log-out aside) that carries ``Idempotency-Key`` runs in one
transaction together with a row that reserves the key for its user. The row is written first,
so a concurrent retry waits on the key's unique index (PostgreSQL) or on the write lock
(SQLite) until the first request is done, and then reads its answer. A 2xx answer is stored in
that row and committed with whatever the request created; any other answer rolls the whole
transaction back, key included, so a 500 after the create (or a refusal) leaves nothing
behind and a retry runs afresh. Within `IDEMPOTENCY_KEY_TTL` (24 h) the same key from the same
user with the same request gets the stored status and body again, marked
``Idempotent-Replayed: true``; with a different request, 422.

A middleware rather than a mixin so every create (articles, annotations, bulk, relations,
entities, suggestions) is covered without each view opting in; it authenticates the way the
API does (token, or the session with its CSRF check) only for requests that carry the header.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.settings import api_settings

from .models import IdempotentRequest

HEADER = "Idempotency-Key"
# Printable ASCII without spaces at the ends: what a UUID, a hash or a job name looks like.
VALID_KEY = re.compile(r"[\x21-\x7e](?:[\x20-\x7e]{0,253}[\x21-\x7e])?")
# Signing in and out are not creates, and a stored token must never be handed out again.
EXEMPT_PREFIXES = ("/api/auth/",)


def _error(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def applies_to(request: HttpRequest) -> bool:
    return (
        request.method == "POST"
        and HEADER in request.headers
        and request.path.startswith("/api/")
        and not request.path.startswith(EXEMPT_PREFIXES)
    )


def body_limit() -> int:
    return max(
        settings.API_MAX_JSON_BYTES,
        settings.ARTICLE_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE,
    )


def buffered_body(request: HttpRequest) -> bytes | None:
    """The body, read once and left for the view to read again; None when it is longer than
    any body the API accepts (the view's parsers then refuse it)."""
    raw_length = request.META.get("CONTENT_LENGTH") or "0"
    length = int(raw_length) if raw_length.isdigit() else 0
    if length > body_limit():
        return None
    if length <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        return request.body
    # Larger than Django reads into `body` by itself, but within what the API parsers take:
    # buffer it the way HttpRequest.body does, so the view reads the same bytes.
    request._body = request.read()
    request._stream = io.BytesIO(request._body)
    return request._body


def fingerprint(request: HttpRequest, body: bytes) -> str:
    content_type = request.META.get("CONTENT_TYPE", "")
    boundary = re.search(r"boundary=\"?([^\";]+)", content_type)
    if boundary:
        # A client that retries a multipart upload may pick a new boundary; the content is
        # the same request.
        body = body.replace(boundary.group(1).encode("latin-1"), b"")
        content_type = content_type[: boundary.start()]
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.META.get("QUERY_STRING", ""), content_type):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(body)
    return digest.hexdigest()


def api_user(request: HttpRequest):
    """The user the API would see (token or session, CSRF checked), or None."""
    authenticators = [cls() for cls in api_settings.DEFAULT_AUTHENTICATION_CLASSES]
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        return None
    return user if user.is_authenticated else None


def replay(record: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(record.body), status=record.status_code, content_type=record.content_type or None
    )
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not applies_to(request):
            return self.get_response(request)
        key = request.headers[HEADER]
        if not VALID_KEY.fullmatch(key):
            return _error(
                400,
                f"{HEADER} must be 1 to 255 printable ASCII characters (a UUID is a good key).",
            )
        body = buffered_body(request)
        user = api_user(request)
        if body is None or user is None:
            # Refused anyway (too large, or no login): the view gives the reason.
            return self.get_response(request)
        return self._once(request, user, key, fingerprint(request, body))

    def _once(self, request: HttpRequest, user, key: str, print_: str) -> HttpResponse:
        now = timezone.now()
        cutoff = now - settings.IDEMPOTENCY_KEY_TTL
        with transaction.atomic():
            IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
            try:
                with transaction.atomic():
                    record = IdempotentRequest.objects.create(
                        user=user, key=key, fingerprint=print_, created_at=now
                    )
            except IntegrityError:
                # The key was used before (or is in use right now: the insert waited for it).
                earlier = IdempotentRequest.objects.filter(user=user, key=key).first()
                if earlier is None:
                    return _error(
                        409, f"A request with this {HEADER} was just retried; send it again."
                    )
                if earlier.fingerprint != print_:
                    return _error(
                        422,
                        f"This {HEADER} was already used for a different request in the last "
                        f"{settings.IDEMPOTENCY_KEY_TTL}; use a new key for a new request.",
                    )
                return replay(earlier)
            response = self.get_response(request)
            if 200 <= response.status_code < 300 and not response.streaming:
                record.status_code = response.status_code
                record.content_type = response.get("Content-Type", "")
                record.body = response.content
                record.save(update_fields=["status_code", "content_type", "body"])
            else:
                # Nothing is kept of a refused or failed request, the key included: the retry
                # runs again, and finds nothing half-made by this attempt.
                transaction.set_rollback(True)
            return response
