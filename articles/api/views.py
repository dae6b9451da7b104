from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from annotator.api.permissions import EditorWritesOthersRead, IsMember
from annotator.api.serializers import AnnotationSerializer
from annotator.assembly import article_annotations
from annotator.models import Annotation
from annotator.representation import annotations_json
from articles import services, workflow
from articles.ingest import extract_upload
from articles.models import Article, ArticleRevision, live_annotation_count

from .filters import ArticleFilter
from .serializers import (
    ArticleCreateSerializer,
    ArticleSerializer,
    ArticleStatusSerializer,
    ArticleUpdateSerializer,
    RevisionSerializer,
)


@extend_schema(tags=["articles"])
class ArticleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """News articles: their stored text (offsets count into it), metadata and workflow status."""

    lookup_value_regex = "[0-9]+"

    permission_classes = [EditorWritesOthersRead]
    filterset_class = ArticleFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = ArticleSerializer

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
            .with_text()
            .prefetch_related("assignees")
            .annotate(annotation_count=live_annotation_count())
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        return {
            "create": ArticleCreateSerializer,
            "partial_update": ArticleUpdateSerializer,
            "revisions": RevisionSerializer,
        }.get(self.action, ArticleSerializer)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "expand",
                OpenApiTypes.STR,
                enum=["annotations"],
                description=(
                    "`annotations` adds every live annotation in one response: in text order, "
                    "with UTF-16 offsets, then any whose text no longer matches (to repair)."
                ),
            )
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        data = ArticleSerializer(article).data
        if request.query_params.get("expand") == "annotations":
            data["annotations"] = article_annotations(article.pk, article.text)
        return Response(data)

    def _respond(self, article: Article, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            ArticleSerializer(self.get_queryset().get(pk=article.pk)).data, status=status_code
        )

    @extend_schema(
        request={
            "application/json": ArticleCreateSerializer,
            "multipart/form-data": ArticleCreateSerializer,
        },
        responses={201: ArticleSerializer, 200: ArticleSerializer},
        description="Create from `text` (JSON) or a `file` (multipart). The same text already stored answers 200 with the existing article.",
    )
    def create(self, request, *args, **kwargs):
        serializer = ArticleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = data.pop("file", None)
        if upload is not None:
            data = extract_upload(upload).article_fields(data)
        article, created = services.article_create(user=request.user, **data)
        return self._respond(article, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ArticleUpdateSerializer, responses={200: ArticleSerializer})
    def partial_update(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = ArticleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        new_status = changes.pop("status", None)
        if changes:
            article = services.article_update(article=article, user=request.user, changes=changes)
        if new_status:
            article = workflow.article_set_status(
                article=article, user=request.user, status=new_status
            )
        return self._respond(article)

    def perform_destroy(self, instance):
        services.article_delete(article=instance, user=self.request.user)

    @extend_schema(responses={200: RevisionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def revisions(self, request, pk=None):
        article = self.get_object()
        revisions = ArticleRevision.objects.filter(article=article).select_related(
            "created_by", "article"
        )
        return Response(RevisionSerializer(revisions, many=True).data)

    @extend_schema(
        responses={200: AnnotationSerializer(many=True)},
        description=(
            "Every live annotation of the article, unpaginated (the annotation page's feed): in "
            "text order, with UTF-16 offsets, then any whose text no longer matches (to repair)."
        ),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def annotations(self, request, pk=None):
        article = self.get_object()
        return Response(article_annotations(article.pk, article.text))

    @extend_schema(request=ArticleStatusSerializer, responses={200: ArticleSerializer})
    @action(detail=True, methods=["post"], url_path="status", permission_classes=[IsMember])
    def move_status(self, request, pk=None):
        """Move the article through its workflow; who may make which move is checked by the workflow."""
        serializer = ArticleStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = workflow.article_set_status(
            article=self.get_object(), user=request.user, status=serializer.validated_data["status"]
        )
        return self._respond(article)

    @extend_schema(request=None, responses={201: AnnotationSerializer(many=True)})
    @action(detail=True, methods=["post"], permission_classes=[IsMember])
    def suggest(self, request, pk=None):
        """Run the machine suggesters on this article; answers the suggestions it created."""
        from annotator.suggest import run_suggesters

        created = run_suggesters(article=self.get_object(), user=request.user)
        rows = annotations_json(
            Annotation.objects.filter(pk__in=[a.pk for a in created]).order_by("start", "id")
        )
        return Response(rows, status=status.HTTP_201_CREATED)
