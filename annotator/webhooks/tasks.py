"""Deliveries are sent by a task: at once with the default (immediate) backend, by
``manage.py db_worker`` processes in production, where a retry is a task deferred until its
time (``run_after``). Where the backend cannot defer, ``manage.py send_webhooks`` sends the
retries that are due."""

from django.tasks import task
from django.utils import timezone

from . import delivery
from .models import WebhookDelivery


@task
def deliver_webhook(delivery_id: int) -> str:
    """Send one delivery, if it still waits; schedule its retry if it failed. Returns its
    status."""
    claimed = delivery.claim(delivery_id, timezone.now())
    if claimed is None:
        return "skipped"
    delivery.attempt(claimed)
    claimed.refresh_from_db(fields=["status", "next_attempt_at"])
    if (
        claimed.status == WebhookDelivery.Status.RETRYING
        and deliver_webhook.get_backend().supports_defer
    ):
        deliver_webhook.using(run_after=claimed.next_attempt_at).enqueue(delivery_id)
    return claimed.status
