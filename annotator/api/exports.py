from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.views import APIView

from annotator.exports import FORMATS
from annotator.exports.base import export_scope, iter_articles
from annotator.models import Annotation
from annotator.selectors import visible_annotations
from articles.api.permissions import IsMember

from .filters import AnnotationFilter

JSON_DOCUMENT = {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}


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
        # One entry per format's media type, so a client (and the schema's checkers) know
        # every content type this answers with.
        (200, media_type): OpenApiResponse(
            # JSON-LD (w3c: one collection object; claimreview: a list of reviews) is JSON;
            # the rest are files.
            JSON_DOCUMENT if media_type.endswith("+json") else OpenApiTypes.BINARY,
            description="The export, streamed; the type depends on the format.",
        )
        for media_type in sorted({module.content_type.split(";")[0] for module in FORMATS.values()})
    },
)
class ExportView(APIView):
    """Stream the annotations that match the list filters in one of six formats.

    Spans that a new revision of the text orphaned are left out and counted in the
    `X-Export-Needs-Repair` header (`?anchor_state=orphaned` lists them to repair); a span whose
    quote is not the text at its offsets is never written either."""

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
        filters = AnnotationFilter(request.query_params, queryset=Annotation.objects.all())
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        given = {
            name for name, value in filters.form.cleaned_data.items() if value not in (None, "")
        }
        scope = export_scope(
            request.user,
            filters.qs,
            article=filters.form.cleaned_data.get("article"),
            filtered=bool(given - {"article"}),
            with_deleted="updated_after" in given,
        )
        articles = iter_articles(
            scope.live,
            scope.article_ids,
            part=getattr(module, "part", "json"),
            whole=scope.whole,
            named=scope.named,
            deleted=scope.deleted,
            with_relations=getattr(module, "needs_relations", False),
        )
        base = request.build_absolute_uri("/").rstrip("/")
        context = {"base": base, "collection_id": request.build_absolute_uri()}
        if export_format == "w3c":
            context["total"] = scope.readable_live.exclude(pk__in=scope.orphaned).count()
        response = StreamingHttpResponse(
            module.render(articles, **context), content_type=module.content_type
        )
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        response["Content-Disposition"] = (
            f'attachment; filename="newsdesk-{export_format}-{stamp}.{module.extension}"'
        )
        response["X-Export-Needs-Repair"] = str(len(scope.orphaned))
        if scope.orphaned:
            response["X-Export-Needs-Repair-Ids"] = ",".join(map(str, scope.orphaned[:200]))
        return response
