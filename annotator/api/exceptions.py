"""One mapping from domain errors to HTTP answers, for every API view."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from annotator.services import BulkErrors, VersionConflict
from articles.ingest import UploadTooLarge


def exception_handler(exc, context):
    if isinstance(exc, VersionConflict):
        return Response(
            {"detail": str(exc), "current_version": exc.current}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, BulkErrors):
        return Response(
            {exc.field: exc.errors, "detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, UploadTooLarge):
        return Response(as_serializer_error(exc), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


# Django's own error pages for URLs no API view answers (an id that is not a number, a path
# that does not exist, a request refused before any view ran): JSON under /api/, as the
# schema documents, and the usual pages elsewhere.
def _api_or_page(status_code: int, detail: str, page):
    def view(request, exception=None):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": detail}, status=status_code)
        return page(request, exception) if exception is not None else page(request)

    return view


page_not_found = _api_or_page(404, "Not found.", defaults.page_not_found)
bad_request = _api_or_page(400, "Bad request.", defaults.bad_request)
permission_denied = _api_or_page(
    403, "You do not have permission to do this.", defaults.permission_denied
)
server_error = _api_or_page(500, "Server error; nothing was saved.", defaults.server_error)
