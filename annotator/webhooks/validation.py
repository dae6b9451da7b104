"""What a webhook endpoint may be: which events, and which URLs (no credentials in them, no
address inside the newsroom's network unless allowed)."""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError

EVENTS = (
    "article.created",
    "article.updated",
    "article.status_changed",
    "annotation.created",
    "annotation.updated",
    "annotation.deleted",
    "annotation.approved",
    "annotation.rejected",
)
# Sent by "send test event" whatever the endpoint subscribes to.
TEST_EVENT = "ping"


def validate_events(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(f"Give a list of one or more events: {', '.join(EVENTS)}.")
    unknown = [e for e in value if e not in EVENTS]
    if unknown:
        raise ValidationError(
            f"Unknown event(s): {', '.join(map(str, unknown))}. Use: {', '.join(EVENTS)}."
        )
    if len(set(value)) != len(value):
        raise ValidationError("Each event once.")


def host_allowed(host: str) -> bool:
    """A host that may be a private, loopback or link-local address (DEBUG, or listed)."""
    allowed = {h.strip().lower() for h in getattr(settings, "WEBHOOK_ALLOWED_HOSTS", [])}
    return settings.DEBUG or host.lower().strip("[]") in allowed


def why_not_public(address: str) -> str | None:
    """Why this IP address is no target for a webhook, or None if it is a public one."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_private:
        return f"{ip} is a private address"
    if ip.is_multicast or ip.is_reserved or ip.is_unspecified or not ip.is_global:
        return f"{ip} is not a public address"
    return None


def validate_webhook_url(value: str) -> None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError("Use an http:// or https:// URL with a host name.")
    if parts.username or parts.password:
        raise ValidationError(
            "Leave user names and passwords out of the URL; deliveries are signed with the secret."
        )
    host = parts.hostname
    if host_allowed(host):
        return
    if host == "localhost" or host.endswith(".localhost"):
        raise ValidationError(
            f"{host} is this machine; add it to WEBHOOK_ALLOWED_HOSTS to send webhooks there."
        )
    try:
        reason = why_not_public(host)
    except ValueError:
        return  # a name: resolved, and checked, on every attempt
    if reason:
        raise ValidationError(
            f"{reason}; add {host} to WEBHOOK_ALLOWED_HOSTS to send webhooks there."
        )
