"""API rate limits (DRF throttles) whose rates are read from settings on every request.

DRF's own classes copy `DEFAULT_THROTTLE_RATES` once, at import, so a rate changed in the
settings (or by a test) would be ignored; these read `API_RATE_LIMITS` each time. The counts
live in Django's default cache.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserRate(UserRateThrottle):
    """Per signed-in user (per address for anonymous calls)."""

    def get_rate(self) -> str | None:
        return settings.API_RATE_LIMITS.get(self.scope)


class AnonRate(AnonRateThrottle):
    """Per address, for calls without a login (in practice: the token endpoint)."""

    def get_rate(self) -> str | None:
        return settings.API_RATE_LIMITS.get(self.scope)
