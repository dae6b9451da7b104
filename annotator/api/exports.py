from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from annotator.exports import FORMATS
from annotator.exports.base import iter_articles, needs_repair_ids
from annotator.selectors import visible_annotations
from articles.models import Article

from .filters import AnnotationFilter
from .permissions import IsMember


class AnyAccept(BaseContentNegotiation):
    """Exports choose their own content type; a client's Accept header cannot make them 406."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return (renderers[0], renderers[0].media_type)


@extend_schema(
    tags=["exports"],
    parameters=[
        OpenApiParameter(
            "export_format", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(FORMATS)
        ),
    ],
    filters=True,
    responses={
        (200, "application/octet-stream"): OpenApiResponse(
            OpenApiTypes.BINARY, description="The export, streamed."
        )
    },
)
class ExportView(APIView):
    """Stream the annotations that match the list filters in one of six formats.

    Spans whose quote no longer matches the text are left out: orphaned ones are counted in the
    `X-Export-Needs-Repair` header; any other mismatch found while streaming is marked
    `anchor_state=orphaned`, so `?anchor_state=orphaned` lists every span to repair."""

    permission_classes = [IsMember]
    content_negotiation_class = AnyAccept
    filterset_class = AnnotationFilter

    def get_queryset(self):
        return visible_annotations(self.request.user)

    def get(self, request, export_format: str):
        module = FORMATS.get(export_format)
        if module is None:
            raise NotFound(
                f"Unknown export format {export_format!r}; use one of: {', '.join(FORMATS)}."
            )
        scope = AnnotationFilter(request.query_params, queryset=self.get_queryset())
        if not scope.is_valid():
            raise ValidationError(scope.errors)
        everything = scope.qs
        live = everything.filter(deleted_at__isnull=True)
        needs_repair = needs_repair_ids(live)
        deleted = (
            everything.filter(deleted_at__isnull=False)
            if "updated_after" in request.query_params
            else None
        )
        article = scope.form.cleaned_data.get("article")
        base = request.build_absolute_uri("/").rstrip("/")
        articles = iter_articles(
            live,
            part=getattr(module, "part", "rendered_json"),
            needs_repair=set(needs_repair),
            article_ids=list(
                Article.objects.visible_to(request.user)
                .filter(pk=article)
                .values_list("id", flat=True)
            )
            if article
            else None,
            deleted=deleted,
            with_relations=getattr(module, "needs_relations", False),
        )
        context = {"base": base, "collection_id": request.build_absolute_uri()}
        if export_format == "w3c":
            context["total"] = live.exclude(pk__in=needs_repair).count()
        response = StreamingHttpResponse(
            module.render(articles, **context), content_type=module.content_type
        )
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response["Content-Disposition"] = (
            f'attachment; filename="newsdesk-{export_format}-{stamp}.{module.extension}"'
        )
        response["X-Export-Needs-Repair"] = str(len(needs_repair))
        if needs_repair:
            response["X-Export-Needs-Repair-Ids"] = ",".join(map(str, needs_repair[:200]))
        return response
