import json

import django_filters as filters
from django import forms
from django.db.models import Count, DateField, F, Func, Q, TextField
from django.db.models.functions import Cast, Coalesce, TruncDate

from annotator.attributes import FACT_CHECK_STATES, VERDICTS
from annotator.models import Annotation, Entity, Relation
from annotator.search.selectors import search_annotations
from articles.api.filters import ArticleFilter, UtcIsoDateTimeFilter


class IdFilter(filters.NumberFilter):
    """A database id: a whole number in the range the database can hold, else a 400."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


def published_date() -> Func:
    """The day a span's words were published: its article's publication date, else the day
    the article was added (pasted texts rarely carry a date)."""
    return TruncDate(
        Coalesce(F("article__published_at"), F("article__created_at")), output_field=DateField()
    )


class AnnotationFilter(filters.FilterSet):
    article = IdFilter(field_name="article_id", lookup_expr="exact")
    label = filters.CharFilter(field_name="label__slug", lookup_expr="exact")
    kind = filters.ChoiceFilter(
        field_name="label__kind",
        lookup_expr="exact",
        choices=[("claim", "claim"), ("quote", "quote"), ("entity", "entity")],
    )
    status = filters.ChoiceFilter(
        field_name="status", lookup_expr="exact", choices=Annotation.Status.choices
    )
    origin = filters.ChoiceFilter(
        field_name="origin", lookup_expr="exact", choices=Annotation.Origin.choices
    )
    anchor_state = filters.ChoiceFilter(
        field_name="anchor_state", lookup_expr="exact", choices=Annotation.AnchorState.choices
    )
    author = filters.CharFilter(field_name="author__username", lookup_expr="exact")
    speaker = IdFilter(
        field_name="speaker_id", lookup_expr="exact", help_text="Quotes spoken by this entity id."
    )
    entity = IdFilter(
        field_name="entity_id", lookup_expr="exact", help_text="Spans linked to this entity id."
    )
    created_after = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = UtcIsoDateTimeFilter(field_name="created_at", lookup_expr="lt")
    updated_after = UtcIsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gt",
        help_text="Only what changed after this time; deleted annotations come back as records with deleted=true.",
    )
    date_from = filters.DateFilter(
        method="filter_date_from",
        help_text="Published on or after this date (the article's publication date, else when it was added).",
    )
    date_to = filters.DateFilter(
        method="filter_date_to", help_text="Published on or before this date (as `date_from`)."
    )
    verdict = filters.ChoiceFilter(
        field_name="attributes__verdict", lookup_expr="exact", choices=[(v, v) for v in VERDICTS]
    )
    fact_check_state = filters.ChoiceFilter(
        method="filter_fact_check_state", choices=[(s, s) for s in FACT_CHECK_STATES]
    )
    q = filters.CharFilter(
        method="search",
        help_text=(
            "Full text over the quote, the speaker's name and a claim's verdict note: every "
            "word must match, in any inflection; ranked by relevance unless `ordering` is given."
        ),
    )
    # Declared after `q`, so an explicit order replaces the ranking.
    ordering = filters.OrderingFilter(
        fields=[
            "created_at",
            "updated_at",
            "reviewed_at",
            "start",
            "id",
            ("article_id", "article"),
        ],
        help_text="e.g. `-created_at`; without it, a search is ranked and a list in text order.",
    )

    class Meta:
        model = Annotation
        fields = []

    def search(self, queryset, name, value):
        return search_annotations(queryset, value)

    def filter_date_from(self, queryset, name, value):
        return queryset.alias(published_on=published_date()).filter(published_on__gte=value)

    def filter_date_to(self, queryset, name, value):
        return queryset.alias(published_on=published_date()).filter(published_on__lte=value)

    def filter_fact_check_state(self, queryset, name, value):
        # A claim stored before the state existed has none: it is unchecked.
        state = Q(attributes__fact_check_state=value)
        if value == "unchecked":
            state |= ~Q(attributes__has_key="fact_check_state")
        return queryset.filter(state, label__kind="claim")


class EntityFilter(filters.FilterSet):
    q = filters.CharFilter(
        method="filter_name", help_text="Name or alias (case-insensitive, part of it)."
    )
    type = filters.CharFilter(field_name="type", lookup_expr="exact")

    class Meta:
        model = Entity
        fields = []

    def filter_name(self, queryset, name, value):
        # Aliases are a JSON list; matching its serialised text is enough for a name search
        # box. SQLite stores non-ASCII as \\u escapes, so the escaped form is tried as well.
        escaped = json.dumps(value)[1:-1]
        return queryset.annotate(alias_text=Cast("aliases", TextField())).filter(
            Q(name__icontains=value)
            | Q(alias_text__icontains=value)
            | Q(alias_text__icontains=escaped)
        )


class RelationFilter(filters.FilterSet):
    article = IdFilter(field_name="article_id", lookup_expr="exact")
    source = IdFilter(field_name="source_id", lookup_expr="exact")
    target = IdFilter(field_name="target_id", lookup_expr="exact")
    type = filters.ChoiceFilter(
        field_name="type", lookup_expr="exact", choices=Relation.Type.choices
    )

    class Meta:
        model = Relation
        fields = []


class AnnotatedArticleFilter(ArticleFilter):
    """The article list's filters, and those that count an article's annotations."""

    label = filters.CharFilter(
        method="filter_label",
        help_text="Articles with at least `label_min` live spans of this label slug.",
    )
    label_min = filters.NumberFilter(
        method="filter_nothing", min_value=1, max_value=1_000_000,
        help_text="With `label`: how many spans at least (default 1).",
    )  # fmt: skip

    class Meta(ArticleFilter.Meta):
        pass

    def filter_label(self, queryset, name, value):
        spans = Annotation.objects.filter(label__slug=value, deleted_at__isnull=True)
        least = int(self.form.cleaned_data.get("label_min") or 1)
        if least > 1:
            spans = spans.values("article_id").annotate(n=Count("id")).filter(n__gte=least)
        return queryset.filter(pk__in=spans.values("article_id"))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_label
