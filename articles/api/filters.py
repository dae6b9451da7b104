import datetime as dt

import django_filters as filters
from django import forms
from django.db.models import Q
from django_filters.fields import IsoDateTimeField

from articles.models import Article


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
    q = filters.CharFilter(
        method="search", help_text="Words in the title or text (all must appear)."
    )

    class Meta:
        model = Article
        fields = []

    def search(self, queryset, name, value):
        # Every word must appear in the title or the current text. Portable across SQLite and
        # PostgreSQL; a trigram or tsvector index is the upgrade when the archive grows.
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(current_revision__text__icontains=word)
            )
        return queryset
