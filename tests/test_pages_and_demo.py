import json
import re

import pytest
from django.core.management import call_command
from django.utils.html import escape

from annotator.models import Annotation, Label
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_default_labels_exist_with_keys():
    assert list(Label.objects.values_list("slug", flat=True)) == [
        "claim",
        "quote",
        "person",
        "organization",
        "location",
        "event",
        "other",
    ]
    assert all(Label.objects.values_list("shortcut", flat=True))


def test_load_demo_is_idempotent_and_prints_logins(capsys):
    call_command("load_demo", password="demo-pass-123")
    call_command("load_demo", password="demo-pass-123")
    out = capsys.readouterr().out
    assert "annotator  demo-pass-123" in out
    assert Article.objects.count() == 1
    article = Article.objects.get()
    kinds = set(Annotation.objects.values_list("label__kind", flat=True))
    assert kinds == {"claim", "quote", "entity"}
    for a in Annotation.objects.all():
        assert article.text[a.start : a.end] == a.quote


def test_demo_users_log_in_and_see_the_seed_article(client):
    call_command("load_demo", password="demo-pass-123")
    assert client.login(username="reviewer", password="demo-pass-123")
    page = client.get("/").content.decode()
    assert "Trump administration plans a military mission" in page


def test_annotate_page_embeds_text_labels_and_annotations(
    client, annotator_user, entity_span, article
):
    client.force_login(annotator_user)
    response = client.get(f"/articles/{article.pk}/")
    html = response.content.decode()
    assert "data-article-text" in html and 'data-label="claim"' in html
    embedded = re.search(
        r'<script id="page-data" type="application/json">(.*?)</script>', html, re.S
    ).group(1)
    data = json.loads(embedded)
    assert data["article"]["text_utf16_length"] == len(article.text.encode("utf-16-le")) // 2
    assert escape(article.text) in html
    feed = client.get(data["annotations_url"]).json()
    assert [a["id"] for a in feed] == [entity_span.pk]
    assert f'<link rel="preload" href="{data["annotations_url"]}"' in html


def test_annotate_page_is_a_fixed_number_of_queries(
    client, annotator_user, article, django_assert_max_num_queries
):
    from annotator.services import annotations_bulk_create

    annotations_bulk_create(
        article=article,
        author=annotator_user,
        items=[{"label": "claim", "start": i, "end": i + 2} for i in range(50)],
    )
    client.force_login(annotator_user)
    client.get(f"/articles/{article.pk}/")
    with django_assert_max_num_queries(10):
        client.get(f"/articles/{article.pk}/")


def test_list_pages_render(client, reviewer_user, entity_span):
    client.force_login(reviewer_user)
    for url in ["/", "/review/", "/entities/", "/quotes/", "/claims/", "/review/stats/"]:
        assert client.get(url).status_code == 200, url


def test_production_settings_refuse_a_missing_secret(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import annotator.settings as settings_module

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.delenv("SECRET_KEY")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.reload(settings_module)
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    importlib.reload(settings_module)
    assert (
        settings_module.SESSION_COOKIE_SECURE is False
    )  # SECURE_COOKIES=0 in the test environment
