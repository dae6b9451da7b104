from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.tasks import suggest_articles
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Run machine suggestions over articles (all live ones with --all) as tasks: at once "
        "with the immediate backend, else queued for db_worker processes, a batch per task so "
        "several workers share the work."
    )

    def add_arguments(self, parser):
        parser.add_argument("article_ids", nargs="*", type=int)
        parser.add_argument(
            "--all", action="store_true", help="Every article that is not deleted or archived."
        )
        parser.add_argument(
            "--user",
            required=True,
            help="Username the suggestions are made by (an annotator or editor).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=20,
            help="Articles per task (default 20): each task is one unit a worker picks up.",
        )

    def handle(self, *args, article_ids, all, user, batch_size, **options):
        if not get_user_model().objects.filter(username=user).exists():
            raise CommandError(f"No user {user!r}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be 1 or more.")
        if all:
            article_ids = list(
                Article.objects.alive()
                .exclude(status=Article.Status.ARCHIVED)
                .order_by("id")
                .values_list("id", flat=True)
            )
        if not article_ids:
            raise CommandError("Name some article ids, or pass --all.")
        made, queued = 0, []
        for first in range(0, len(article_ids), batch_size):
            result = suggest_articles.enqueue(article_ids[first : first + batch_size], user)
            if result.is_finished:
                made += result.return_value
            else:
                queued.append(result.id)
        if queued:
            self.stdout.write(
                f"Queued {len(queued)} task(s) for {len(article_ids)} article(s); "
                "db_worker processes will run them."
            )
        else:
            self.stdout.write(f"{made} suggestion(s) made over {len(article_ids)} article(s).")
