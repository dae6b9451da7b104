import datetime as dt

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django_filters.fields import IsoDateTimeField

from articles.models import Article
from articles.search.selectors import search_articles


class UtcIsoDateTimeField(IsoDateTimeField):
    def clean(self, value):
        moment = super().clean(value)
        if moment is None or moment.tzinfo is None:
            return moment
        # Python takes offsets up to +-23:59 and PostgreSQL only up to +-15:59: a time sent as
        # 09:19-18:44 was a 500 there. The same instant in UTC means the same to both.
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError as error:
            raise forms.ValidationError("This date and time is out of range.") from error


class UtcIsoDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date and time, compared as the instant it names (in UTC)."""

    field_class = UtcIsoDateTimeField


class ArticleFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Article.Status.choices
    )
    language = filters.CharFilter(field_name="language", lookup_expr="iexact")
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    updated_after = UtcIsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
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
