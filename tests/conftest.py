import os

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from annotator import roles
from annotator.services import annotation_create
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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness buys nothing in tests and costs seconds per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, group: str | None = None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


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
