"""Article jobs run as Django tasks: at once by default, or by `manage.py db_worker` processes
when TASKS_BACKEND=django_tasks_db.DatabaseBackend (see annotator/tasks.py)."""

from django.contrib.auth import get_user_model
from django.tasks import task

from .feeds import import_feed


@task
def import_feed_task(
    source: str, username: str, fetch_pages: bool = True, limit: int | None = None
) -> dict:
    """Import a feed's items (schedule it, e.g. every 15 minutes, from cron or a worker);
    returns the summary, the same one `manage.py import_feed` prints."""
    user = get_user_model().objects.get(username=username)
    return import_feed(source, user=user, fetch_pages=fetch_pages, limit=limit).as_dict()
