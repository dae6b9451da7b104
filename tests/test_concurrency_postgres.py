"""Two connections at once on PostgreSQL: a new text for an article and an edit of one of its
annotations never lose each other's work, and a span created meanwhile lands on the new text.

SQLite runs one writer at a time (IMMEDIATE transactions), so these interleavings cannot
happen there; the tests are collected on PostgreSQL runs (`make test-postgres`, CI's second
run).
"""

import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from annotator import services
from annotator.models import Annotation
from tests.conftest import tag

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def wait_until_blocked(timeout: float = 20.0) -> None:
    """Until another backend waits on a lock (what the second writer does when the first
    holds the row): the database says so, no sleep guesses it."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.01)
    raise AssertionError("the second writer never waited for the first one's lock")


def in_thread(work, results: dict, name: str) -> threading.Thread:
    def run():
        try:
            results[name] = work()
        except Exception as error:  # the test reads what happened
            results[name] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def held_open(write, started: threading.Event, release: threading.Event):
    """Run ``write`` in a transaction kept open until ``release``: its locks stay held."""

    def work():
        with transaction.atomic():
            result = write()
            started.set()
            assert release.wait(30)
        return result

    return work


if ON_POSTGRESQL:

    @pytest.fixture(autouse=True)
    def default_labels(transactional_db):
        # These tests commit for real, and the flush after each one takes the migration's
        # labels and groups along; put them back first.
        from django.contrib.auth.models import Group

        from annotator.defaults import create_defaults
        from annotator.models import Label

        create_defaults(Label, Group)

    @pytest.mark.django_db(transaction=True)
    def test_an_edit_committed_first_is_carried_to_the_new_text(
        article, annotator_user, editor_user
    ):
        span = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
        started, release, results = threading.Event(), threading.Event(), {}
        edit = held_open(
            lambda: services.annotation_update(
                annotation=span,
                user=annotator_user,
                version=1,
                changes={"attributes": {"check_worthiness": "high"}},
            ),
            started,
            release,
        )
        editing = in_thread(edit, results, "edit")
        assert started.wait(30)
        retext = in_thread(
            lambda: services.article_update(
                article=article, user=editor_user, changes={"text": "Hoy. " + article.text}
            ),
            results,
            "retext",
        )
        wait_until_blocked()
        release.set()
        editing.join(30)
        retext.join(30)
        assert not isinstance(results["edit"], Exception), results["edit"]
        assert not isinstance(results["retext"], Exception), results["retext"]
        span.refresh_from_db()
        assert span.attributes["check_worthiness"] == "high"  # the edit is kept
        assert span.start == article.text.index("Claudia Sheinbaum habló") + len("Hoy. ")
        assert span.version == 3  # edited, then carried over
        text = Annotation.objects.get(pk=span.pk).article.current_revision.text
        assert text[span.start : span.end] == span.quote

    @pytest.mark.django_db(transaction=True)
    def test_an_edit_that_waited_for_the_new_text_is_refused_as_stale(
        article, annotator_user, editor_user
    ):
        span = tag(article, annotator_user, "claim", "Claudia Sheinbaum habló")
        started, release, results = threading.Event(), threading.Event(), {}
        retext = held_open(
            lambda: services.article_update(
                article=article, user=editor_user, changes={"text": "Hoy. " + article.text}
            ),
            started,
            release,
        )
        retexting = in_thread(retext, results, "retext")
        assert started.wait(30)
        editing = in_thread(
            lambda: services.annotation_update(
                annotation=span,
                user=annotator_user,
                version=1,
                changes={"start": span.start, "end": span.end + 3},
            ),
            results,
            "edit",
        )
        wait_until_blocked()
        release.set()
        retexting.join(30)
        editing.join(30)
        assert isinstance(results["edit"], services.VersionConflict)
        span.refresh_from_db()
        assert (span.start, span.version) == (
            article.text.index("Claudia Sheinbaum habló") + len("Hoy. "),
            2,
        )

    @pytest.mark.django_db(transaction=True)
    def test_a_span_sent_for_the_old_text_during_a_new_text_is_refused(
        article, annotator_user, editor_user
    ):
        """Its offsets and quote were read from the old text; it waits for the new text and is
        checked against it, so it is refused rather than stored on other words."""
        started, release, results = threading.Event(), threading.Event(), {}
        retext = held_open(
            lambda: services.article_update(
                article=article, user=editor_user, changes={"text": "Hoy. " + article.text}
            ),
            started,
            release,
        )
        retexting = in_thread(retext, results, "retext")
        assert started.wait(30)
        old = article.text.index("Ciudad de México")
        creating = in_thread(
            lambda: services.annotation_create(
                article=article,
                author=annotator_user,
                label="location",
                start=old,
                end=old + len("Ciudad de México"),
                quote="Ciudad de México",
            ),
            results,
            "create",
        )
        wait_until_blocked()
        release.set()
        retexting.join(30)
        creating.join(30)
        assert isinstance(results["create"], ValidationError), results["create"]
        assert "quote" in results["create"].message_dict
        assert not Annotation.objects.filter(article=article).exists()
