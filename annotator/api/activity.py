"""Activity feeds in the API: ``/api/articles/{id}/activity/`` and
``/api/entities/{id}/activity/`` (their own views beside the viewsets, on the same paths an
``@action`` would take)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.activity import MAX_EVENTS, article_activity, entity_activity
from annotator.models import Entity
from articles.api.permissions import IsMember
from articles.models import Article


class ActivityQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=MAX_EVENTS, default=100)
    before = serializers.DateTimeField(required=False, help_text="Only what happened before.")


EVENT = inline_serializer(
    "ActivityEvent",
    {
        "at": serializers.DateTimeField(),
        "user": serializers.CharField(allow_null=True),
        "action": serializers.CharField(help_text="tagged, changed, approved, rejected, ..."),
        "object": inline_serializer(
            "ActivityObject",
            {
                "type": serializers.ChoiceField(["article", "annotation", "relation", "entity"]),
                "id": serializers.IntegerField(),
            },
        ),
        "article": serializers.IntegerField(allow_null=True),
        "summary": serializers.CharField(),
        "label": serializers.CharField(allow_null=True),
        "note": serializers.CharField(),
        "changes": serializers.ListField(child=serializers.DictField()),
    },
    many=True,
)
PARAMETERS = [
    OpenApiParameter("limit", OpenApiTypes.INT, description=f"At most {MAX_EVENTS}."),
    OpenApiParameter("before", OpenApiTypes.DATETIME, description="The next page: the last `at`."),
]


def _query(request) -> dict:
    query = ActivityQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


@extend_schema(tags=["articles"], parameters=PARAMETERS, responses={200: EVENT})
class ArticleActivityView(APIView):
    """Who added, tagged, approved, rejected or changed what in this article, newest first."""

    permission_classes = [IsMember]

    def get(self, request, pk: int):
        article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
        events = article_activity(article, **_query(request))
        return Response([event.as_json() for event in events])


@extend_schema(tags=["entities"], parameters=PARAMETERS, responses={200: EVENT})
class EntityActivityView(APIView):
    """Changes to this entity and to every span naming or quoting it, newest first."""

    permission_classes = [IsMember]

    def get(self, request, pk: int):
        entity = get_object_or_404(Entity, pk=pk)
        events = entity_activity(entity, request.user, **_query(request))
        return Response([event.as_json() for event in events])
