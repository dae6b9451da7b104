from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from annotator import views
from annotator.api.activity import ArticleActivityView, EntityActivityView
from annotator.api.articles import AnnotatedArticleViewSet
from annotator.api.exports import ExportView
from annotator.api.suggestion_undo import SuggestionUnacceptView
from annotator.api.tokens import ObtainTokenView, RevokeAllTokensView, RevokeTokenView
from annotator.api.views import (
    AnnotationViewSet,
    AnnotatorStatsView,
    EntityViewSet,
    LabelViewSet,
    RelationViewSet,
)
from annotator.webhooks.api import WebhookViewSet
from articles import views as article_views


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page links; the icon is a static file (its
    URL is looked up per request, as a hashed name exists only after collectstatic)."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("annotator/favicon.svg")


router = DefaultRouter()
router.register("articles", AnnotatedArticleViewSet, basename="article")
router.register("annotations", AnnotationViewSet, basename="annotation")
router.register("labels", LabelViewSet, basename="label")
router.register("entities", EntityViewSet, basename="entity")
router.register("relations", RelationViewSet, basename="relation")
router.register("webhooks", WebhookViewSet, basename="webhook")

api = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("auth/logout/", RevokeTokenView.as_view(), name="api-logout"),
    path("auth/logout-all/", RevokeAllTokensView.as_view(), name="api-logout-all"),
    path("export/<str:export_format>/", ExportView.as_view(), name="export"),
    path("stats/annotators/", AnnotatorStatsView.as_view(), name="annotator-stats"),
    path(
        "annotations/<int:pk>/unaccept/",
        SuggestionUnacceptView.as_view(),
        name="annotation-unaccept",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("articles/<int:pk>/activity/", ArticleActivityView.as_view(), name="article-activity-api"),
    path("entities/<int:pk>/activity/", EntityActivityView.as_view(), name="entity-activity-api"),
    # The split view serves its start-up script as a file, so the page needs no inline script
    # under the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include(router.urls)),
]

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include(api)),
    path("", views.article_list, name="article-list"),
    path("articles/new/", article_views.article_new, name="article-new"),
    path("articles/<int:pk>/", views.annotate, name="article-annotate"),
    path("articles/<int:pk>/activity/", views.article_activity, name="article-activity"),
    path("review/", views.review_queue, name="review"),
    path("review/stats/", views.review_stats, name="review-stats"),
    path("entities/", views.entity_list, name="entity-list"),
    path("entities/<int:pk>/", views.entity_detail, name="entity-detail"),
    path("quotes/", views.quote_list, name="quote-list"),
    path("claims/", views.claim_list, name="claim-list"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
]

handler400 = "annotator.api.exceptions.bad_request"
handler403 = "annotator.api.exceptions.permission_denied"
handler404 = "annotator.api.exceptions.page_not_found"
handler500 = "annotator.api.exceptions.server_error"
