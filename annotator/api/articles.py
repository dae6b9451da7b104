"""The article API as the annotation layer serves it: the lower layer's viewset, with each
article's annotations counted, expanded on request, created with it, carried over to a new
text, waited for before publishing, and suggested by machine."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from articles.api.permissions import IsMember
from articles.api.serializers import ArticleCreateSerializer, ArticleSerializer
from articles.api.views import ArticleViewSet
from articles.models import Article

from .. import services
from ..assembly import article_annotations
from ..models import Annotation
from ..representation import AnnotationSerializer, created_json
from ..suggest import run_suggesters
from .filters import AnnotatedArticleFilter
from .serializers import AnnotationItemSerializer

FEED = (
    "Every live annotation of the article, in text order, with UTF-16 offsets, then any "
    "whose text no longer matches (to repair)."
)


def live_annotation_count() -> Coalesce:
    """The number of live annotations of each article, as a subquery.

    A JOIN with GROUP BY would group by every selected column, the revision's text included,
    which on a long article costs seconds; a correlated subquery counts through an index.
    """
    counts = (
        Annotation.objects.filter(article=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("article")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


class AnnotatedArticleCreateSerializer(ArticleCreateSerializer):
    annotations = AnnotationItemSerializer(
        many=True, required=False, help_text="Offsets against `text` as sent."
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("file") and attrs.get("annotations"):
            raise serializers.ValidationError({"annotations": "only with `text`, not with a file."})
        return attrs


@extend_schema(tags=["articles"])
class AnnotatedArticleViewSet(ArticleViewSet):
    create_serializer_class = AnnotatedArticleCreateSerializer
    filterset_class = AnnotatedArticleFilter

    def get_queryset(self):
        return super().get_queryset().annotate(annotation_count=live_annotation_count())

    def create_article(self, **data) -> tuple[Article, bool]:
        return services.article_create(user=self.request.user, **data)

    def update_article(self, article: Article, changes: dict) -> Article:
        return services.article_update(article=article, user=self.request.user, changes=changes)

    def set_status(self, article: Article, status: str) -> Article:
        return services.article_set_status(article=article, user=self.request.user, status=status)

    @extend_schema(
        request={
            "application/json": AnnotatedArticleCreateSerializer,
            "multipart/form-data": AnnotatedArticleCreateSerializer,
        },
        responses={201: ArticleSerializer, 200: ArticleSerializer},
        description="Create from `text` (JSON) or a `file` (multipart). The same text already "
        "stored answers 200 with the existing article.",
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "expand",
                OpenApiTypes.STR,
                enum=["annotations"],
                description=f"`annotations` adds the article's annotations: {FEED}",
            )
        ]
    )
    def retrieve(self, request, *args, **kwargs):
        article = self.get_object()
        data = ArticleSerializer(article).data
        if request.query_params.get("expand") == "annotations":
            data["annotations"] = article_annotations(
                article.pk, article.text, article.current_revision_id
            )
        return Response(data)

    @extend_schema(responses={200: AnnotationSerializer(many=True)}, description=FEED)
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def annotations(self, request, pk=None):
        article = self.get_object()
        return Response(article_annotations(article.pk, article.text, article.current_revision_id))

    @extend_schema(request=None, responses={201: AnnotationSerializer(many=True)})
    @action(detail=True, methods=["post"], permission_classes=[IsMember])
    def suggest(self, request, pk=None):
        """Run the machine suggesters on this article; answers the suggestions it created, in the
        order the suggesters ranked them (check-worthy claims first)."""
        article = self.get_object()
        created = run_suggesters(article=article, user=request.user)
        return Response(
            created_json(article.pk, created, ordering=("id",)), status=status.HTTP_201_CREATED
        )
