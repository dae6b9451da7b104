"""The one call the services make when something happens: ``emit``.

It schedules the work for after the transaction commits, so a change rolled back is never
announced and a receiver that reads the API back finds what the event says. Then, for each
active endpoint that subscribes to the event, a delivery is stored with the resource as the
API shows it at that moment, and a task sends it.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from annotator.models import Annotation
from annotator.representation import Joins, annotation_objects, fetch_rows
from articles.api.serializers import ArticleSerializer
from articles.models import Article

from .models import WebhookDelivery, WebhookEndpoint
from .tasks import deliver_webhook
from .validation import EVENTS


def emit(
    event: str,
    *,
    article_id: int | None = None,
    annotation_ids: Iterable[int] = (),
    using: str | None = None,
) -> None:
    """Announce ``event`` about an article or some annotations once the current transaction
    commits (at once outside one). Each annotation is a delivery of its own."""
    if event not in EVENTS:
        raise ValueError(f"unknown webhook event {event!r}; one of {', '.join(EVENTS)}")
    ids = list(annotation_ids)
    transaction.on_commit(lambda: deliver_event(event, article_id, ids), using=using)


def deliver_event(event: str, article_id: int | None, annotation_ids: list[int]) -> list[int]:
    """Store a delivery per subscribed endpoint and resource, then send each (as a task).
    Returns the deliveries' ids."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if e.subscribes_to(event)]
    if not endpoints:
        return []
    resources = annotations_data(annotation_ids) if annotation_ids else []
    if article_id is not None:
        resources.append(article_data(article_id))
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(endpoint=endpoint, event=event, data=data)
            for data in resources
            for endpoint in endpoints
        ]
    )
    ids = [d.pk for d in deliveries]
    send_later(ids)
    return ids


def send_later(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        deliver_webhook.enqueue(pk)


def annotations_data(ids: list[int]) -> list[bytes]:
    """Each annotation as the API shows it (deleted ones say so); one purged meanwhile is
    announced by its id."""
    objects = annotation_objects(fetch_rows(Annotation.objects.filter(pk__in=ids)), Joins())
    shown = {item["id"]: orjson.dumps(item) for item in objects}
    return [shown.get(pk) or orjson.dumps({"id": pk, "deleted": True}) for pk in ids]


def _live_annotation_count() -> Coalesce:
    # The article API's count (annotator.api.articles), which this module cannot import: the
    # API imports the services, which call emit.
    counts = (
        Annotation.objects.filter(article=OuterRef("pk"), deleted_at__isnull=True)
        .order_by()
        .values("article")
        .annotate(count=Count("id"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def article_data(pk: int) -> bytes:
    article = (
        Article.objects.with_text()
        .prefetch_related("assignees")
        .annotate(annotation_count=_live_annotation_count())
        .filter(pk=pk)
        .first()
    )
    if article is None:
        return orjson.dumps({"id": pk, "deleted": True})
    return orjson.dumps(ArticleSerializer(article).data)
