"""`manage.py suggest --all` as tasks: at once by default, or queued in batches and run by a
db_worker (django-tasks-db), the way production spreads it over workers."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from annotator.defaults import create_defaults
from annotator.models import Annotation, Label
from articles.services import article_create

from .suggest_fixtures import MARKS, STORY


@pytest.fixture
def articles(editor_user):
    # After a test that flushed the tables (a transactional one), the migration's default
    # labels are gone; put them back (the browser tests do the same).
    create_defaults(Label, Group)
    return [
        article_create(user=editor_user, title=f"Story {i}", text=text)[0]
        for i, text in enumerate((STORY, MARKS, STORY + "\n\nMore."))
    ]


# A worker closes and reopens its connection between tasks, as in production: the test cannot
# run inside one transaction.
@pytest.mark.django_db(transaction=True)
def test_suggest_all_queues_batches_that_a_db_worker_runs(
    articles, annotator_user, settings, capsys
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("suggest", "--all", "--user", "anna", "--batch-size", "2")
    assert "Queued 2 task(s) for 3 article(s)" in capsys.readouterr().out
    assert not Annotation.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    results = DBTaskResult.objects.all()
    assert [r.status for r in results] == ["SUCCESSFUL"] * 2, [r.traceback for r in results]
    for article in articles:
        assert Annotation.objects.filter(article=article, origin="machine").exists()


def test_suggest_all_runs_at_once_with_the_immediate_backend(articles, annotator_user, capsys):
    call_command("suggest", "--all", "--user", "anna")
    made = Annotation.objects.filter(origin="machine", status="suggested").count()
    assert f"{made} suggestion(s) made over 3 article(s)." in capsys.readouterr().out
    assert made > 0


def test_a_batch_size_below_one_is_refused(articles, annotator_user):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="batch-size"):
        call_command("suggest", "--all", "--user", "anna", "--batch-size", "0")
