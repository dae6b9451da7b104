"""``POST /api/annotations/{id}/unaccept/``: the inverse of ``.../accept/``, for undo."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.representation import AnnotationSerializer, annotation_json_of
from annotator.selectors import visible_annotations
from annotator.services.suggestions import suggestion_unaccept
from articles.api.permissions import IsMember


class UnacceptSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False, help_text="The version you read; a stale one gets 409."
    )


@extend_schema(
    tags=["annotations"], request=UnacceptSerializer, responses={200: AnnotationSerializer}
)
class SuggestionUnacceptView(APIView):
    """Return an accepted machine suggestion to `suggested` (the undo of accept)."""

    permission_classes = [IsMember]

    def post(self, request, pk: int):
        annotation = get_object_or_404(
            visible_annotations(request.user).filter(deleted_at__isnull=True), pk=pk
        )
        serializer = UnacceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        suggestion_unaccept(
            annotation=annotation,
            user=request.user,
            version=serializer.validated_data.get("version"),
        )
        return Response(annotation_json_of(annotation.pk))
