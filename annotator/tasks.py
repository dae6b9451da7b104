"""Long jobs, run as Django tasks: at once by default (the immediate backend), or by
`manage.py db_worker` processes when TASKS_BACKEND=django_tasks_db.DatabaseBackend, so workers on
several machines share the queue through PostgreSQL."""

from django.contrib.auth import get_user_model
from django.tasks import task

from articles.models import Article

from .suggest import run_suggesters


@task
def suggest_articles(article_ids: list[int], username: str) -> int:
    """Run the suggesters over many articles; returns how many suggestions were made."""
    user = get_user_model().objects.get(username=username)
    made = 0
    for article in Article.objects.alive().with_text().filter(pk__in=article_ids).iterator():
        made += len(run_suggesters(article=article, user=user))
    return made
