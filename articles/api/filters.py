import django_filters as filters
from django.db.models import Q

from articles.models import Article


class ArticleFilter(filters.FilterSet):
    status = filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Article.Status.choices
    )
    language = filters.CharFilter(field_name="language", lookup_expr="iexact")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    updated_after = filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gt")
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
