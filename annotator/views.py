"""Server-rendered pages. They read through selectors and leave every write to the API, so the
browser is held to the same permission rules as any script."""

from datetime import timedelta

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import roles, workflow
from articles.models import Article
from articles.views import member_required

from . import activity, listing, selectors
from .attributes import FACT_CHECK_STATES, VERDICTS
from .choices import Kind
from .models import Annotation, Entity, Label
from .page_data import page_choices, page_permissions, reject_reasons, revision_notice
from .sentences import sentence_around

PAGE_OF_EVENTS = 100


@member_required
def article_list(request):
    found = listing.article_listing(request.user, request.GET)
    context = {"listing": found, "page": found.page, "filters": request.GET, **found.choices}
    return render(request, "articles/list.html", context, status=400 if found.errors else 200)


@member_required
def annotate(request, pk: int):
    # The revision's author is named in the revision notice.
    articles = Article.objects.visible_to(request.user).with_text()
    article = get_object_or_404(articles.select_related("current_revision__created_by"), pk=pk)
    user = request.user
    page = {
        "article": {
            "id": article.id,
            "title": article.title,
            "status": article.status,
            "revision": article.current_revision.number if article.current_revision else None,
            # The text itself is in the page once, inside the article element; this lets the
            # script check it read that element exactly (UTF-16 units, as JavaScript counts).
            "text_utf16_length": len(article.text.encode("utf-16-le")) // 2,
        },
        "labels": selectors.labels_data(),
        "entities": selectors.article_entities(article),
        # The annotations come from the API, preloaded while the page parses, so the page
        # itself stays small whatever the article holds.
        "annotations_url": reverse("article-annotations", args=[article.pk]),
        "user": {"username": user.get_username()},
        "permissions": page_permissions(user, article),
        "choices": page_choices(),
        "revision_notice": revision_notice(article),
        "unaccept": True,
        "poll_ms": settings.ANNOTATION_POLL_MS,
        # Polling asks for changes after this moment, on the server's clock, not the browser's.
        "server_time": timezone.now().isoformat(timespec="microseconds").replace("+00:00", "Z"),
    }
    return render(
        request,
        "annotator/annotate.html",
        {
            "article": article,
            "labels": page["labels"],
            "page_data": json_script_tag(page, "page-data"),
            "annotations_url": page["annotations_url"],
            "next_statuses": [
                (status, Article.Status(status).label)
                for status in workflow.allowed_next(article, user)
            ],
            "permissions": page["permissions"],
            "choices": page["choices"],
            "revision_notice": page["revision_notice"],
        },
    )


def json_script_tag(value, element_id: str) -> str:
    """Django's ``json_script`` with orjson: on an article with 5,000 annotations the standard
    encoder is most of the page's time."""
    # The escapes of Django's json_script, so no text in the data can close the element;
    # str.replace, because str.translate walks a megabyte character by character.
    data = (
        orjson.dumps(value)
        .decode()
        .replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
    )
    return format_html(
        '<script id="{}" type="application/json">{}</script>', element_id, mark_safe(data)
    )


@member_required
def review_queue(request):
    queryset = selectors.live_annotations(request.user).filter(status=Annotation.Status.PENDING)
    label = request.GET.get("label")
    if label:
        queryset = queryset.filter(label__slug=label)
    article = request.GET.get("article")
    if article and article.isdigit():
        queryset = queryset.filter(article_id=int(article))
    author = request.GET.get("author")
    if author:
        queryset = queryset.filter(author__username=author)
    age = request.GET.get("older_than_days")
    if age and age.isdigit():
        queryset = queryset.filter(created_at__lte=timezone.now() - timedelta(days=int(age)))
    # Oldest first: the queue is worked through in the order tags were made.
    queryset = (
        selectors.annotations_for_listing(queryset)
        .select_related("article__current_revision")
        .order_by("created_at", "id")
    )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    items = [
        {"annotation": a, "sentence": sentence_around(a.article.text, a.start, a.end)} for a in page
    ]
    return render(
        request,
        "annotator/review.html",
        {
            "page": page,
            "items": items,
            "labels": Label.objects.filter(active=True),
            "filters": request.GET,
            "can_review": roles.is_reviewer(request.user),
            "review_data": json_script_tag(
                {
                    "can_review": roles.is_reviewer(request.user),
                    "reject_reasons": reject_reasons(),
                },
                "review-data",
            ),
        },
    )


@member_required
def entity_list(request):
    queryset = selectors.entities_with_counts()
    q = request.GET.get("q", "").strip()
    if q:
        queryset = queryset.filter(name__icontains=q)
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "annotator/entity_list.html", {"page": page, "q": q})


@member_required
def entity_detail(request, pk: int):
    entity = get_object_or_404(Entity, pk=pk)
    live = selectors.annotations_for_listing(selectors.live_annotations(request.user))
    return render(
        request,
        "annotator/entity_detail.html",
        {
            "entity": entity,
            "quotes": live.filter(speaker=entity)[:500],
            "mentions": live.filter(entity=entity)[:500],
            "events": activity.entity_activity(entity, request.user, limit=PAGE_OF_EVENTS),
        },
    )


@member_required
def article_activity(request, pk: int):
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    before = parse_datetime(request.GET.get("before", "")) if request.GET.get("before") else None
    events = activity.article_activity(article, limit=PAGE_OF_EVENTS, before=before)
    more = events[-1].at.isoformat() if len(events) == PAGE_OF_EVENTS else None
    return render(
        request,
        "annotator/article_activity.html",
        {"article": article, "events": events, "more": more},
    )


@member_required
def quote_list(request):
    return _span_list(request, Kind.QUOTE, "annotator/quote_list.html")


@member_required
def claim_list(request):
    return _span_list(request, Kind.CLAIM, "annotator/claim_list.html")


def _span_list(request, kind: str, template: str):
    found = listing.span_listing(request.user, request.GET, kind=kind)
    context = {"listing": found, "page": found.page, "filters": request.GET}
    if kind == Kind.CLAIM:
        context["verdicts"], context["fact_check_states"] = VERDICTS, FACT_CHECK_STATES
    return render(request, template, context, status=400 if found.errors else 200)


@member_required
def review_stats(request):
    if not (roles.is_reviewer(request.user) or roles.is_editor(request.user)):
        raise PermissionDenied("Statistics are for reviewers and editors.")
    rows = selectors.annotator_stats()
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        total = totals.setdefault(
            row["author"], {"made": 0, "approved": 0, "rejected": 0, "pending": 0}
        )
        for key in total:
            total[key] += row[key]
    return render(request, "annotator/review_stats.html", {"rows": rows, "totals": totals})
