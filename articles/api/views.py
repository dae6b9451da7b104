from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from articles import services, workflow
from articles.fetch import fetch_article
from articles.ingest import extract_upload
from articles.intake import article_create_extracted
from articles.models import Article, ArticleRevision
from articles.revisions import revision_compare

from .filters import ArticleFilter
from .permissions import EditorWritesOthersRead, IsMember
from .serializers import (
    ArticleCreateSerializer,
    ArticleSerializer,
    ArticleStatusSerializer,
    ArticleUpdateSerializer,
    RevisionCompareSerializer,
    RevisionSerializer,
)


@extend_schema(tags=["articles"])
class ArticleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """News articles: their stored text (offsets count into it), metadata and workflow status.

    The writes go through ``create_article``, ``update_article`` and ``set_status``, which the
    annotation layer's viewset overrides to take the articles' annotations along.
    """

    lookup_value_regex = "[0-9]+"

    permission_classes = [EditorWritesOthersRead]
    filterset_class = ArticleFilter
    serializer_class = ArticleSerializer
    create_serializer_class = ArticleCreateSerializer

    def get_queryset(self):
        return (
            Article.objects.visible_to(self.request.user)
            .with_text()
            .prefetch_related("assignees")
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        return {
            "create": self.create_serializer_class,
            "partial_update": ArticleUpdateSerializer,
            "revisions": RevisionSerializer,
        }.get(self.action, ArticleSerializer)

    def create_article(self, **data) -> tuple[Article, bool]:
        return services.article_create(user=self.request.user, **data)

    def update_article(self, article: Article, changes: dict) -> Article:
        return services.article_update(article=article, user=self.request.user, changes=changes)

    def set_status(self, article: Article, status: str) -> Article:
        return workflow.article_set_status(article=article, user=self.request.user, status=status)

    def respond(self, article: Article, status_code=status.HTTP_200_OK) -> Response:
        return Response(
            ArticleSerializer(self.get_queryset().get(pk=article.pk)).data, status=status_code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        upload = data.pop("file", None)
        fetch = data.pop("fetch", False)
        encoding = data.pop("encoding", "") or None
        if upload is not None or fetch:
            extracted = (
                fetch_article(data["source_url"], encoding=encoding)
                if fetch
                else extract_upload(upload, encoding=encoding)
            )
            # Through create_article, so a layer above that overrides it still runs.
            article, created = article_create_extracted(
                extracted=extracted, given=data, create=self.create_article
            )
        else:
            article, created = self.create_article(**data)
        return self.respond(article, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=ArticleUpdateSerializer, responses={200: ArticleSerializer})
    def partial_update(self, request, *args, **kwargs):
        article = self.get_object()
        serializer = ArticleUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        new_status = changes.pop("status", None)
        if changes:
            article = self.update_article(article, changes)
        if new_status:
            article = self.set_status(article, new_status)
        return self.respond(article)

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
        parameters=[
            OpenApiParameter(
                "from", int, description="Revision number (default: the one before `to`)."
            ),
            OpenApiParameter("to", int, description="Revision number (default: the current one)."),
        ],
        responses={200: RevisionCompareSerializer},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="revisions/compare",
        pagination_class=None,
        filterset_class=None,
    )
    def compare_revisions(self, request, pk=None):
        """The text diff between two revisions: hunks in text order with both texts' offsets."""
        article = self.get_object()
        return Response(
            revision_compare(
                article=article,
                old=request.query_params.get("from"),
                new=request.query_params.get("to"),
            )
        )

    @extend_schema(request=ArticleStatusSerializer, responses={200: ArticleSerializer})
    @action(detail=True, methods=["post"], url_path="status", permission_classes=[IsMember])
    def move_status(self, request, pk=None):
        """Move the article through its workflow; who may make which move is checked by the workflow."""
        serializer = ArticleStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        article = self.set_status(self.get_object(), serializer.validated_data["status"])
        return self.respond(article)
