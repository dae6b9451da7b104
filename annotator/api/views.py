import orjson
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator import services
from annotator.models import Annotation, Entity, Label, Relation
from annotator.representation import (
    AnnotationSerializer,
    Joins,
    annotation_json_of,
    annotation_objects,
    annotations_json,
    fetch_rows,
    written_json,
)
from annotator.selectors import annotator_stats, live_annotations, visible_annotations
from articles import roles
from articles.api.permissions import IsMember
from articles.models import Article

from .filters import AnnotationFilter, EntityFilter, RelationFilter
from .serializers import (
    AnnotationCreateSerializer,
    AnnotationItemSerializer,
    AnnotationUpdateSerializer,
    EntityMergeSerializer,
    EntitySerializer,
    LabelSerializer,
    RelationSerializer,
    ReviewSerializer,
)


def annotation_response(pk: int, status_code: int = status.HTTP_200_OK) -> Response:
    return Response(annotation_json_of(pk), status=status_code)


def live_article(pk, user) -> Article:
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise serializers.ValidationError({"article": "must be an article id (integer)."})
    article = (
        Article.objects.visible_to(user).select_related("current_revision").filter(pk=pk).first()
    )
    if article is None:
        raise serializers.ValidationError({"article": f"article {pk} does not exist."})
    return article


INCLUDE_DELETED = OpenApiParameter(
    "include_deleted",
    OpenApiTypes.BOOL,
    description="Also list deleted annotations (deleted=true); implied by updated_after.",
)


@extend_schema(tags=["annotations"])
class AnnotationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Spans of article text tagged as claims, quotes or entities."""

    lookup_value_regex = "[0-9]+"

    permission_classes = [IsMember]
    filterset_class = AnnotationFilter
    serializer_class = AnnotationSerializer

    def get_queryset(self):
        queryset = visible_annotations(self.request.user)
        params = self.request.query_params
        # Mirrors syncing with updated_after must learn of deletions, so they see tombstones.
        include_deleted = params.get("include_deleted", "")
        if include_deleted not in {"", "0", "1", "false", "true"}:
            raise serializers.ValidationError({"include_deleted": "must be true or false."})
        wants_deleted = include_deleted in {"1", "true"} or "updated_after" in params
        if self.action != "list" or not wants_deleted:
            queryset = queryset.filter(deleted_at__isnull=True)
        return queryset.order_by("article_id", "start", "end", "id")

    def get_serializer_class(self):
        return {
            "create": AnnotationCreateSerializer,
            "partial_update": AnnotationUpdateSerializer,
            "bulk": AnnotationItemSerializer,
            "approve": ReviewSerializer,
            "reject": ReviewSerializer,
        }.get(self.action, AnnotationSerializer)

    @extend_schema(parameters=[INCLUDE_DELETED])
    def list(self, request, *args, **kwargs):
        # The page's ids first (sorting and skipping ids reads indexes, not the wide rows),
        # then those rows.
        matching = self.filter_queryset(self.get_queryset()).values_list("id", flat=True)
        ids = list(self.paginate_queryset(matching))
        rows = fetch_rows(Annotation.objects.filter(pk__in=ids).order_by())
        order = {pk: position for position, pk in enumerate(ids)}
        rows.sort(key=lambda row: order[row[0]])
        objects = annotation_objects(rows, Joins())
        return self.get_paginated_response(orjson.Fragment(orjson.dumps(objects)))

    def retrieve(self, request, *args, **kwargs):
        return annotation_response(self.get_object().pk)

    @extend_schema(request=AnnotationCreateSerializer, responses={201: AnnotationSerializer})
    def create(self, request, *args, **kwargs):
        data = self._validated(AnnotationCreateSerializer, request.data)
        annotation = services.annotation_create(
            article=live_article(data.pop("article"), request.user), author=request.user, **data
        )
        return annotation_response(annotation.pk, status.HTTP_201_CREATED)

    @extend_schema(
        request=AnnotationUpdateSerializer,
        responses={
            200: AnnotationSerializer,
            400: OpenApiResponse(description="Invalid field; the body names it."),
            403: OpenApiResponse(description="Not yours to edit."),
            409: OpenApiResponse(
                description="Stale version: someone changed it first; nothing was saved."
            ),
        },
    )
    def partial_update(self, request, *args, **kwargs):
        data = self._validated(AnnotationUpdateSerializer, request.data)
        version = data.pop("version")
        annotation = services.annotation_update(
            annotation=self.get_object(), user=request.user, version=version, changes=data
        )
        return annotation_response(annotation.pk)

    @extend_schema(
        parameters=[
            OpenApiParameter("version", OpenApiTypes.INT, description="Refuse with 409 if stale.")
        ]
    )
    def destroy(self, request, *args, **kwargs):
        version = request.query_params.get("version")
        if version is not None and not version.isdigit():
            raise serializers.ValidationError({"version": "must be an integer."})
        services.annotation_delete(
            annotation=self.get_object(),
            user=request.user,
            version=int(version) if version is not None else None,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=AnnotationItemSerializer(many=True),
        responses={201: AnnotationSerializer(many=True)},
        description=(
            "All or nothing. Send a list of annotations (each with `article`), or an object "
            "`{article, annotations, text?}`: with `text`, offsets were computed on that copy of "
            "the text and are mapped through the server's normalisation. A JSON Lines export "
            "record for one article is accepted as it is."
        ),
    )
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        payload = request.data
        raw_text = None
        if isinstance(payload, dict):
            article = live_article(payload.get("article", payload.get("id")), request.user)
            items = payload.get("annotations")
            raw_text = payload.get("text")
            if raw_text is not None and not isinstance(raw_text, str):
                raise serializers.ValidationError({"text": "must be text."})
            if not isinstance(items, list):
                raise serializers.ValidationError({"annotations": "must be a list."})
        elif isinstance(payload, list):
            if not payload:
                raise serializers.ValidationError({"non_field_errors": ["the list is empty."]})
            articles = {
                item.get("article")
                for item in payload
                if isinstance(item, dict) and isinstance(item.get("article"), int)
            }
            if len(articles) != 1:
                raise serializers.ValidationError(
                    {"article": "every item must name the same article; send one call per article."}
                )
            article = live_article(articles.pop(), request.user)
            items = payload
        else:
            raise serializers.ValidationError({"non_field_errors": ["send a JSON list or object."]})
        created = services.annotations_bulk_create(
            article=article, author=request.user, items=items, raw_text=raw_text
        )
        return Response(written_json(created), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReviewSerializer, responses={200: AnnotationSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._validated(ReviewSerializer, request.data)
        services.annotation_review(
            annotation=self.get_object(), reviewer=request.user, approve=True, **data
        )
        return annotation_response(int(pk))

    @extend_schema(request=ReviewSerializer, responses={200: AnnotationSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self._validated(ReviewSerializer, request.data)
        services.annotation_review(
            annotation=self.get_object(), reviewer=request.user, approve=False, **data
        )
        return annotation_response(int(pk))

    @extend_schema(request=None, responses={200: AnnotationSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a machine suggestion: it becomes a pending annotation."""
        services.suggestion_accept(annotation=self.get_object(), user=request.user)
        return annotation_response(int(pk))

    @extend_schema(request=None, responses={200: AnnotationSerializer})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Bring back a deleted annotation."""
        annotation = get_object_or_404(
            visible_annotations(request.user).filter(deleted_at__isnull=False), pk=pk
        )
        services.annotation_restore(annotation=annotation, user=request.user)
        return annotation_response(annotation.pk)

    @staticmethod
    def _validated(serializer_class, data) -> dict:
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema(tags=["labels"])
class LabelViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = "[0-9]+"
    permission_classes = [IsMember]
    serializer_class = LabelSerializer
    queryset = Label.objects.all()
    pagination_class = None


@extend_schema(tags=["entities"])
class EntityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Canonical people, organisations, places and events; spans across articles link here."""

    lookup_value_regex = "[0-9]+"

    permission_classes = [IsMember]
    serializer_class = EntitySerializer
    filterset_class = EntityFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        alive = Q(mentions__deleted_at__isnull=True)
        return Entity.objects.annotate(
            mention_count=Count("mentions", filter=alive, distinct=True),
            quote_count=Count("quotes", filter=Q(quotes__deleted_at__isnull=True), distinct=True),
        ).order_by("name", "id")

    def perform_create(self, serializer):
        if not roles.can_annotate(self.request.user):
            raise PermissionDenied("Only annotators and editors can add entities.")
        serializer.instance = services.entity_create(**serializer.validated_data)

    def perform_update(self, serializer):
        if not roles.is_editor(self.request.user):
            raise PermissionDenied("Only editors can change entities.")
        serializer.save()

    @extend_schema(
        responses={
            200: inline_serializer(
                "EntityMentions",
                {
                    "mentions": AnnotationSerializer(many=True),
                    "quotes": AnnotationSerializer(many=True),
                    "claims": AnnotationSerializer(many=True),
                },
            )
        }
    )
    @action(detail=True, methods=["get"])
    def mentions(self, request, pk=None):
        """Every live span that names this entity, every quote it spoke, every claim about it."""
        entity = self.get_object()
        live = live_annotations(request.user)
        claims = live.filter(
            label__kind="claim",
            relations_out__type=Relation.Type.ABOUT,
            relations_out__target__entity=entity,
        )
        return Response(
            {
                "mentions": annotations_json(live.filter(entity=entity)),
                "quotes": annotations_json(live.filter(speaker=entity)),
                "claims": annotations_json(claims.distinct()),
            }
        )

    @extend_schema(request=EntityMergeSerializer, responses={200: EntitySerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Fold another entity into this one; its spans and quotes move here."""
        serializer = EntityMergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entity = services.entities_merge(
            keep=self.get_object(), merge=serializer.validated_data["merge"], user=request.user
        )
        return Response(EntitySerializer(self.get_queryset().get(pk=entity.pk)).data)


@extend_schema(tags=["relations"])
class RelationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Typed links between two annotations of one article (quote spoken_by entity, ...)."""

    lookup_value_regex = "[0-9]+"

    permission_classes = [IsMember]
    serializer_class = RelationSerializer
    filterset_class = RelationFilter

    def get_queryset(self):
        return Relation.objects.filter(
            article__in=Article.objects.visible_to(self.request.user),
            source__deleted_at__isnull=True,
            target__deleted_at__isnull=True,
        ).select_related("author")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.relation_create(
            source=data["source"],
            target=data["target"],
            type=data["type"],
            author=self.request.user,
        )

    def perform_destroy(self, instance):
        services.relation_delete(relation=instance, user=self.request.user)


@extend_schema(
    tags=["review"],
    responses={
        200: inline_serializer(
            "AnnotatorStats",
            {
                "author": serializers.CharField(),
                "label": serializers.CharField(),
                "made": serializers.IntegerField(),
                "approved": serializers.IntegerField(),
                "rejected": serializers.IntegerField(),
                "pending": serializers.IntegerField(),
            },
            many=True,
        )
    },
)
class AnnotatorStatsView(APIView):
    """Annotations made, approved, rejected and pending, per person and label (reviewers and editors)."""

    permission_classes = [IsMember]

    def get(self, request):
        if not (roles.is_reviewer(request.user) or roles.is_editor(request.user)):
            raise PermissionDenied("Statistics are for reviewers and editors.")
        return Response(annotator_stats())
