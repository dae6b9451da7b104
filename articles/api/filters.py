import django_filters as filters
from django.contrib.auth import get_user_model
from django.db.models import Count

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
    label = filters.CharFilter(
        method="filter_label",
        help_text="Articles with at least `label_min` live spans of this label slug.",
    )
    label_min = filters.NumberFilter(
        method="filter_nothing", min_value=1, max_value=1_000_000,
        help_text="With `label`: how many spans at least (default 1).",
    )  # fmt: skip
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

    def filter_label(self, queryset, name, value):
        # The spans are the annotation app's; reached through the reverse relation's model, so
        # this lower layer imports nothing from it.
        spans = Article._meta.get_field("annotations").related_model.objects.filter(
            label__slug=value, deleted_at__isnull=True
        )
        least = int(self.form.cleaned_data.get("label_min") or 1)
        if least == 1:
            return queryset.filter(pk__in=spans.values("article_id"))
        crowded = spans.values("article_id").annotate(n=Count("id")).filter(n__gte=least)
        return queryset.filter(pk__in=crowded.values("article_id"))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_label
