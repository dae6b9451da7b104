from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from annotator.tasks import suggest_articles
from articles.models import Article


class Command(BaseCommand):
    help = "Queue machine suggestions for articles (all live ones with --all)."

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

    def handle(self, *args, article_ids, all, user, **options):
        if not get_user_model().objects.filter(username=user).exists():
            raise CommandError(f"No user {user!r}.")
        if all:
            article_ids = list(
                Article.objects.alive()
                .exclude(status=Article.Status.ARCHIVED)
                .values_list("id", flat=True)
            )
        if not article_ids:
            raise CommandError("Name some article ids, or pass --all.")
        result = suggest_articles.enqueue(article_ids, user)
        if result.is_finished:
            self.stdout.write(
                f"{result.return_value} suggestion(s) made over {len(article_ids)} article(s)."
            )
        else:
            self.stdout.write(
                f"Queued task {result.id} for {len(article_ids)} article(s); a db_worker will run it."
            )
