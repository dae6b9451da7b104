import django_filters as filters
from django.contrib.auth import get_user_model

from articles.models import Article
from articles.search.selectors import search_articles


class ArticleFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Article.Status.choices
    )
    language = filters.CharFilter(field_name="language", lookup_expr="iexact")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
    assignee = filters.CharFilter(
        method="filter_assignee",
        help_text="Articles assigned to this username; `none` for the open ones (no assignee).",
    )
    q = filters.CharFilter(
        method="search",
        help_text=(
            "Full text over title, byline and text: every word must match, in any inflection; "
            "ranked by relevance unless `ordering` is given."
        ),
    )
    # Declared after `q`, so an explicit order replaces the ranking.
    ordering = filters.OrderingFilter(
        fields=["created_at", "updated_at", "published_at", "title", "id"],
        help_text="e.g. `-published_at`; without it, a search is ranked and a list newest first.",
    )

    class Meta:
        model = Article
        fields = []

    def search(self, queryset, name, value):
        return search_articles(queryset, value)

    def filter_assignee(self, queryset, name, value):
        through = Article.assignees.through.objects
        if value == "none":
            return queryset.exclude(pk__in=through.values("article_id"))
        user = get_user_model().objects.filter(username=value).values("pk")
        return queryset.filter(pk__in=through.filter(user__in=user).values("article_id"))
