"""Query strings the API reads: each parameter once.

Every API query parameter (filters, paging, options) takes one value. Given twice, DRF and
django-filter would quietly use one of them, so `?status=pending&status=approved` would list
only approved tags with no sign the other was ignored; a 400 says so instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse


class SingleValuedQueryMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/") and request.META.get("QUERY_STRING"):
            repeated = sorted(name for name, values in request.GET.lists() if len(values) > 1)
            if repeated:
                return JsonResponse(
                    {name: ["give this parameter once."] for name in repeated}, status=400
                )
        return self.get_response(request)
