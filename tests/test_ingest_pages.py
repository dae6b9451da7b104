"""News pages shaped like the ones desks save: every story whole, the right metadata, the same
text on every upload (tests/data/pages/expected.json says what each page must give)."""

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.ingest import extract_bytes
from articles.models import Article

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "data" / "pages"
EXPECTED = {
    k: v for k, v in json.loads((PAGES / "expected.json").read_text()).items() if k[0] != "_"
}


def upload(client, name, data=None, **fields):
    data = data if data is not None else (PAGES / name).read_bytes()
    return client.post(
        "/api/articles/", {"file": SimpleUploadedFile(name, data), **fields}, format="multipart"
    )


def same_instant(served: str | None, expected: str | None) -> bool:
    if expected is None or served is None:
        return served is expected
    return datetime.fromisoformat(served.replace("Z", "+00:00")) == datetime.fromisoformat(expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_gives_its_whole_story_and_its_metadata(api_as, editor_user, name):
    want = EXPECTED[name]
    response = upload(api_as(editor_user), name)
    assert response.status_code == 201, response.json()
    body = response.json()
    text = body["text"]
    assert body["title"] == want["title"]
    assert body["language"] == want["language"]
    assert same_instant(body["published_at"], want["published"]), body["published_at"]
    if "byline" in want:
        assert body["byline"] == want["byline"]
    assert len(text.split("\n\n")) == want["paragraphs"], text
    for words in want["must"]:
        assert words in text
    for words in want["must_not"]:
        assert words not in text


def test_a_page_uploaded_many_times_is_the_same_article_every_time(api_as, editor_user):
    client = api_as(editor_user)
    first = upload(client, "wire-en.html").json()
    for _ in range(6):
        again = upload(client, "wire-en.html")
        # 200: the very same text is already stored (a duplicate), not a shorter new article.
        assert again.status_code == 200
        assert again.json()["id"] == first["id"]
        assert again.json()["text"] == first["text"]
    assert Article.objects.count() == 1


def test_extraction_does_not_depend_on_what_was_extracted_before():
    names = sorted(EXPECTED)
    forwards = {n: extract_bytes(n, (PAGES / n).read_bytes()) for n in names}
    for _ in range(3):
        backwards = {n: extract_bytes(n, (PAGES / n).read_bytes()) for n in reversed(names)}
        assert backwards == forwards


def test_two_stories_sharing_a_paragraph_both_keep_it(api_as, editor_user):
    client = api_as(editor_user)
    shared = '"The eruption has slowed, but we cannot rule out another explosive phase'
    first = upload(client, "shared-a.html").json()["text"]
    second = upload(client, "shared-b.html").json()["text"]
    assert shared in first and shared in second
    assert len(first.split("\n\n")) == len(second.split("\n\n")) == 4


def test_another_process_extracts_the_same_text_and_metadata():
    name = "es-lead-h2.html"
    here = extract_bytes(name, (PAGES / name).read_bytes())
    script = (
        "import django, json, sys; django.setup();"
        "from articles.ingest import extract_bytes;"
        f"e = extract_bytes({name!r}, open({str(PAGES / name)!r}, 'rb').read());"
        "print(json.dumps([e.text, e.title, e.byline, e.published_at.isoformat(), e.language]))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "annotator.settings"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert json.loads(out) == [
        here.text,
        here.title,
        here.byline,
        here.published_at.isoformat(),
        here.language,
    ]


def test_the_header_today_date_and_the_url_date_are_never_taken(api_as, editor_user):
    body = upload(api_as(editor_user), "en-no-date.html").json()
    # The page's only dates are the site header's "today", a modified date and one in its URL.
    assert body["published_at"] is None
    assert body["extraction"]["fields"]["published_at"] == {"source": "not found"}


def test_the_article_records_where_each_field_came_from(api_as, editor_user):
    body = upload(api_as(editor_user), "fr-lire-aussi.html", title="Bus gratuits").json()
    record = Article.objects.get(pk=body["id"]).extraction
    assert record["format"] == "html"
    assert record["fields"]["title"] == {"source": "typed by the person who added it"}
    assert record["fields"]["published_at"] == {
        "source": "JSON-LD NewsArticle datePublished",
        "as_given": "2025-05-09T05:45:00+0200",
    }
    assert record["fields"]["byline"] == {"source": "JSON-LD author"}
    assert record["text"] == {"source": "HTML (trafilatura)", "paragraphs": 6}
    assert record["encoding"] == {"name": "utf-8", "certain": True, "reason": "utf-8"}
    assert body["extraction"] == record


def test_a_date_without_a_time_is_recorded_as_a_day(api_as, editor_user):
    body = upload(api_as(editor_user), "en-science.html").json()
    assert body["published_at"].startswith("2025-03-03")
    assert body["extraction"]["fields"]["published_at"]["precision"] == "day (no time of day given)"


def test_the_admin_shows_where_the_fields_came_from(api_as, editor_user, client, superuser):
    article_id = upload(api_as(editor_user), "wire-en.html").json()["id"]
    client.force_login(superuser)
    page = client.get(f"/admin/articles/article/{article_id}/change/").content.decode()
    assert "Where the fields came from" in page
    assert "JSON-LD NewsArticle datePublished" in page
    assert "2025-11-04T14:32:00Z" in page


def test_a_page_with_no_story_is_refused_and_nothing_is_stored(api_as, editor_user):
    page = (
        b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    response = upload(api_as(editor_user), "home.html", page)
    assert response.status_code == 400
    assert "No article text could be found" in response.json()["file"][0]
    assert not Article.objects.exists()
