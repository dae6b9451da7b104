"""Server-rendered pages. They read through selectors and leave every write to the API, so the
browser is held to the same permission rules as any script."""

from datetime import timedelta

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import roles, workflow
from articles.models import Article
from articles.views import member_required

from . import selectors
from .models import Annotation, Entity, Label
from .page_data import page_choices, page_permissions, reject_reasons
from .sentences import sentence_around


@member_required
def article_list(request):
    queryset = (
        Article.objects.visible_to(request.user)
        .select_related("created_by")
        .annotate(
            annotation_count=Count("annotations", filter=Q(annotations__deleted_at__isnull=True)),
            pending_count=Count(
                "annotations",
                filter=Q(annotations__deleted_at__isnull=True, annotations__status="pending"),
            ),
        )
        .order_by("-created_at", "-id")
    )
    status = request.GET.get("status", "")
    if status in Article.Status.values:
        queryset = queryset.filter(status=status)
    q = request.GET.get("q", "").strip()
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word) | Q(current_revision__text__icontains=word)
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/list.html",
        {
            "page": page,
            "statuses": Article.Status.choices,
            "status": status,
            "q": q,
            "can_add": roles.can_manage_articles(request.user),
        },
    )


@member_required
def annotate(request, pk: int):
    article = get_object_or_404(Article.objects.visible_to(request.user).with_text(), pk=pk)
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
        },
    )


@member_required
def quote_list(request):
    queryset = selectors.annotations_for_listing(
        selectors.live_annotations(request.user).filter(label__kind="quote")
    )
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "annotator/quote_list.html", {"page": page})


@member_required
def claim_list(request):
    queryset = selectors.annotations_for_listing(
        selectors.live_annotations(request.user).filter(label__kind="claim")
    )
    verdict = request.GET.get("verdict")
    if verdict:
        queryset = queryset.filter(attributes__verdict=verdict)
    page = Paginator(queryset, 100).get_page(request.GET.get("page"))
    return render(request, "annotator/claim_list.html", {"page": page})


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
