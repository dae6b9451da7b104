import os
import re
import sys

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from annotator.services import annotation_create
from articles import roles
from articles.services import article_create

PASSWORD = "a-long-test-password-1"

# No deadline: the first text that needs NFC mapping builds a table over all of Unicode once.
# In CI the examples are derandomised, so a run is repeatable; locally they explore.
hypothesis_settings.register_profile(
    "newsdesk", deadline=None, derandomize=os.environ.get("CI") == "true"
)
hypothesis_settings.load_profile("newsdesk")

# Astral characters (emoji, a flag, a ZWJ family), combining accents and right-to-left text
# before the spans: every offset bug shows here.
TRICKY_TEXT = (
    "Café 👩‍👩‍👧 opened 🇲🇽 and said: “Ça va très bien” — ok.\n\n"
    "Ahora, el presidente 🎉 Claudia Sheinbaum habló en la Ciudad de México. مرحبا 𝔘𝔫𝔦𝔠𝔬𝔡𝔢!"
)


_ANNOTATION_WRITE = re.compile(
    r'\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"annotator_annotation"', re.I
)


def _called_from_the_services() -> bool:
    frame = sys._getframe(2)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module == "annotator.services" or module.startswith("annotator.services."):
            return True
        frame = frame.f_back
    return False


@pytest.fixture(autouse=True)
def annotations_are_written_only_by_the_services(request):
    """Every statement of the suite that writes the annotation table must come from
    annotator.services: what the services do to a row (its version, its history, the
    article's lock) is what keeps every read right. A test that simulates a write from behind
    the app's back says so with the ``writes_behind_the_apps_back`` marker."""
    if request.node.get_closest_marker("writes_behind_the_apps_back"):
        yield
        return

    def guard(execute, sql, params, many, context):
        if _ANNOTATION_WRITE.match(sql) and not _called_from_the_services():
            raise AssertionError(f"annotations written outside annotator.services: {sql[:120]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(guard):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness buys nothing in tests and costs seconds per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(autouse=True)
def empty_caches():
    """Each test starts with empty caches (assembled annotations are kept per process; API
    rate limits and failed-login counts must not carry over from one test to the next)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def annotator_user(db):
    return make_user("anna", roles.ANNOTATOR)


@pytest.fixture
def other_annotator(db):
    return make_user("otto", roles.ANNOTATOR)


@pytest.fixture
def editor_user(db):
    return make_user("edith", roles.EDITOR, is_staff=True)


@pytest.fixture
def reviewer_user(db):
    return make_user("rey", roles.REVIEWER, is_staff=True)


@pytest.fixture
def outsider(db):
    """Signed in, but in no newsroom group."""
    return make_user("olga")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)


@pytest.fixture
def article(editor_user):
    created, _ = article_create(user=editor_user, title="Tricky", text=TRICKY_TEXT, language="es")
    return created


def tag(article, author, label: str, words: str, attributes: dict | None = None, **extra):
    """Tag the first occurrence of ``words`` in the article, through the service."""
    start = article.text.index(words)
    return annotation_create(
        article=article,
        author=author,
        label=label,
        start=start,
        end=start + len(words),
        attributes=attributes,
        **extra,
    )


@pytest.fixture
def entity_span(article, annotator_user):
    return tag(article, annotator_user, "person", "Claudia Sheinbaum")


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api_as():
    return client_for
