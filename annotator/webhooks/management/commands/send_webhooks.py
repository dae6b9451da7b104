import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from annotator.webhooks.delivery import due
from annotator.webhooks.tasks import deliver_webhook


class Command(BaseCommand):
    help = (
        "Send the webhook deliveries that are due: retries, where the task backend cannot "
        "defer them (the immediate one), and any a lost worker left. Run it from cron, or "
        "with --every N as a process of its own."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, help="Keep running, this many seconds apart.")

    def handle(self, *args, every=None, **options):
        while True:
            ids = due(timezone.now())
            for pk in ids:
                deliver_webhook.enqueue(pk)
            self.stdout.write(f"{len(ids)} due deliveries sent to the task queue.")
            if not every:
                return
            time.sleep(every)
