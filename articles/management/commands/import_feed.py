"""manage.py import_feed URL_OR_FILE: import the stories of an RSS or Atom feed."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.feeds import import_feed
from articles.tasks import import_feed_task


class Command(BaseCommand):
    help = (
        "Import the items of an RSS or Atom feed (an http(s) address or a file): each from the "
        "feed's full content or fetched from its link, skipping duplicates by address and text."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="The feed's address, or a file holding it.")
        parser.add_argument(
            "--user",
            default=None,
            help="Username the articles are created by (an editor; default: the first superuser).",
        )
        parser.add_argument(
            "--no-fetch",
            action="store_true",
            help="Take items only from the feed's own content; never fetch their pages.",
        )
        parser.add_argument("--limit", type=int, default=None, help="At most this many items.")
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Run it as a task (import_feed_task): by a db_worker when the tasks backend is one.",
        )

    def handle(self, *args, source, user, no_fetch, limit, enqueue, **options):
        User = get_user_model()
        creator = (
            User.objects.filter(username=user).first()
            if user
            else User.objects.filter(is_superuser=True).order_by("id").first()
        )
        if creator is None:
            raise CommandError(
                "No such user; pass --user with an editor's username (or create a superuser)."
            )
        if enqueue:
            result = import_feed_task.enqueue(
                source, creator.get_username(), fetch_pages=not no_fetch, limit=limit
            )
            self.stdout.write(f"Queued as task {result.id} ({result.status}).")
            if result.is_finished and result.return_value:
                self.stdout.write(result.return_value["summary"])
            return
        try:
            summary = import_feed(source, user=creator, fetch_pages=not no_fetch, limit=limit)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(summary.line()))
        for item, pk in summary.imported:
            self.stdout.write(f"  imported {item} (article {pk})")
        for item in summary.duplicate_urls:
            self.stdout.write(f"  skipped {item}: already imported from this address")
        for item in summary.duplicate_texts:
            self.stdout.write(f"  skipped {item}: the same text is already an article")
        for item, reason in summary.refused:
            self.stdout.write(f"  refused {item}: {reason}")
