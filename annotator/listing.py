"""Reads for the lists of quotes, claims and articles: filters, counts, default order and the
passages a search matched.

The pages use the API's filter sets (annotator/api/filters.py, articles/api/filters.py), so a
list filters the same way in the browser and in a script; what a page needs beyond them lives
here, in a constant number of queries per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce
from django_filters import FilterSet

from articles import roles
from articles.models import Article
from articles.search.analysis import passage, query_words

from . import selectors
from .api.filters import AnnotatedArticleFilter, AnnotationFilter
from .choices import Kind
from .models import Annotation, Entity, Label

PAGE_SIZE = 50


@dataclass
class Listing:
    """One page of a filtered list, ready for a template."""

    filters: FilterSet
    page: Page | None
    rows: list[dict[str, Any]]
    total: int
    counts: list[tuple[str, int]]
    words: list[str]
    choices: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.filters.errors


def _page(queryset: QuerySet, number: Any) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def span_listing(user, params, *, kind: str) -> Listing:
    """Live quotes or claims the user may read, filtered by ``params`` (the annotation API's
    filters: q, speaker, article, verdict, fact_check_state, date_from, date_to, status, ...),
    newest first, or by relevance when searched; with counts per status or verdict."""
    base = selectors.live_annotations(user).filter(label__kind=kind).order_by("-created_at", "-id")
    filters = AnnotationFilter(params, queryset=base)
    words = query_words(params.get("q"))
    choices: dict[str, Any] = {}
    if kind == Kind.QUOTE:
        choices["speakers"] = list(
            Entity.objects.filter(quotes__deleted_at__isnull=True)
            .annotate(n=Count("quotes"))
            .order_by("name")
            .values("id", "name", "n")[:500]
        )
    if not filters.is_valid():
        return Listing(filters, None, [], 0, [], words, choices)
    matching = filters.qs
    facet = KeyTextTransform("verdict", "attributes") if kind == Kind.CLAIM else F("status")
    counts = sorted(
        (
            (row["facet"] or "none", row["n"])
            for row in matching.order_by().values(facet=facet).annotate(n=Count("id"))
        ),
        key=lambda item: -item[1],
    )
    page = _page(
        matching.select_related("label", "article", "author", "speaker"), params.get("page")
    )
    rows = [
        {
            "annotation": a,
            "passage": passage(a.quote, words, a.article.language, width=None) if words else None,
        }
        for a in page
    ]
    article_id = filters.form.cleaned_data.get("article")
    if article_id:
        choices["article"] = (
            Article.objects.visible_to(user).filter(pk=article_id).values("id", "title").first()
        )
    return Listing(filters, page, rows, sum(n for _, n in counts), counts, words, choices)


def _count_of(label_ids: list[int], **extra) -> Coalesce:
    """Live spans of an article with one of these labels, as a correlated subquery counted
    through the label index (a JOIN with GROUP BY would group by every article column)."""
    spans = (
        Annotation.objects.filter(
            article=OuterRef("pk"), label_id__in=label_ids, deleted_at__isnull=True, **extra
        )
        .order_by()
        .values("article")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(spans, output_field=IntegerField()), 0)


def article_listing(user, params) -> Listing:
    """Articles the user may read, filtered by ``params`` (the article API's filters: q,
    status, assignee, label, label_min, ...), newest first or by relevance when searched, with
    their live spans counted per kind and those awaiting review."""
    params = params.copy()
    if params.get("assignee") == "me":
        params["assignee"] = user.get_username()
    labels: dict[str, list[int]] = {}
    for pk, kind in Label.objects.values_list("id", "kind"):
        labels.setdefault(kind, []).append(pk)
    every = [pk for ids in labels.values() for pk in ids]
    base = (
        Article.objects.visible_to(user)
        .select_related("created_by", "current_revision")
        .annotate(
            claim_count=_count_of(labels.get(Kind.CLAIM, [])),
            quote_count=_count_of(labels.get(Kind.QUOTE, [])),
            entity_count=_count_of(labels.get(Kind.ENTITY, [])),
            pending_count=_count_of(every, status=Annotation.Status.PENDING),
        )
        .order_by("-created_at", "-id")
    )
    filters = AnnotatedArticleFilter(params, queryset=base)
    words = query_words(params.get("q"))
    choices = {
        "statuses": Article.Status.choices,
        "labels": list(Label.objects.filter(active=True).values("slug", "name")),
        "assignees": list(
            get_user_model()
            .objects.filter(assigned_articles__isnull=False)
            .distinct()
            .order_by("username")
            .values_list("username", flat=True)
        ),
        "can_add": roles.can_manage_articles(user),
    }
    if not filters.is_valid():
        return Listing(filters, None, [], 0, [], words, choices)
    matching = filters.qs
    counts = [
        (row["status"], row["n"])
        for row in matching.order_by().values("status").annotate(n=Count("id")).order_by("-n")
    ]
    page = _page(matching, params.get("page"))
    rows = [
        {
            "article": article,
            "passage": passage(article.text, words, article.language) if words else None,
            "title": passage(article.title, words, article.language, width=None) if words else None,
        }
        for article in page
    ]
    return Listing(filters, page, rows, sum(n for _, n in counts), counts, words, choices)
