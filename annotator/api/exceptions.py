"""One mapping from domain errors to HTTP answers, for every API view."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
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
