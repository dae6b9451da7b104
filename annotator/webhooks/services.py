"""Rules that write webhook endpoints: who may, what is valid, and the test event."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

import orjson
from django.core.exceptions import PermissionDenied
from django.db import transaction

from articles import roles

from .events import send_later
from .models import WebhookDelivery, WebhookEndpoint
from .validation import TEST_EVENT

EDITABLE = ("url", "events", "secret", "description", "active")


def check_can_manage(user) -> None:
    if not roles.is_editor(user):
        raise PermissionDenied("Only editors manage webhooks.")


def new_secret() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def webhook_create(
    *, user, url: str, events: list[str], secret: str = "", description: str = "", active=True
) -> WebhookEndpoint:
    """A new endpoint; without a ``secret`` one is made (the caller shows it once)."""
    check_can_manage(user)
    endpoint = WebhookEndpoint(
        url=url,
        events=events,
        secret=secret or new_secret(),
        description=description,
        active=active,
        created_by=user,
    )
    endpoint.full_clean(exclude=["created_by"])
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_update(
    *, endpoint: WebhookEndpoint, user, changes: Mapping[str, Any]
) -> WebhookEndpoint:
    """Change an endpoint; switching a disabled one back on starts its failure count afresh."""
    check_can_manage(user)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    reenabled = changes.get("active") is True and not endpoint.active
    for name in EDITABLE:
        if name in changes:
            setattr(endpoint, name, changes[name])
    if reenabled:
        endpoint.consecutive_failures, endpoint.disabled_at, endpoint.disabled_reason = 0, None, ""
    endpoint.full_clean(exclude=["created_by"])
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_delete(*, endpoint: WebhookEndpoint, user) -> None:
    check_can_manage(user)
    endpoint.delete()


def send_test_event(*, endpoint: WebhookEndpoint, user) -> WebhookDelivery:
    """A ``ping`` delivery to this endpoint, whatever it subscribes to, sent now (a task);
    returns it as it stands after the send (with the immediate backend, already tried)."""
    check_can_manage(user)
    data = {"webhook": endpoint.pk, "url": endpoint.url, "events": endpoint.events}
    with transaction.atomic():
        made = WebhookDelivery.objects.create(
            endpoint=endpoint, event=TEST_EVENT, data=orjson.dumps(data)
        )
        transaction.on_commit(lambda: send_later([made.pk]))
    made.refresh_from_db()
    return made
