"""`manage.py import_feed` and its task: RSS and Atom items taken from their content or fetched,
duplicates skipped by address and by text, a summary printed."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.feeds import url_key
from articles.models import Article
from articles.tasks import import_feed_task
from tests.local_site import guard_loopback, serve

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "data" / "pages"

FULL_CONTENT = (
    "".join(
        f"<p>Paragraph {n} of the harbour council story: the council voted on the new moorings "
        f"plan, which sets fees for visiting boats and keeps a quarter of the berths for locals.</p>"
        for n in range(1, 6)
    )
    + "<p>Read more: Harbour fees rise again</p>"
)


@pytest.fixture(autouse=True)
def only_loopback_connections(monkeypatch):
    guard_loopback(monkeypatch)


@pytest.fixture
def site(settings):
    with serve(settings) as running:
        running.page("/strike", (PAGES / "wire-en.html").read_bytes())
        running.page("/strike-copy", (PAGES / "wire-en.html").read_bytes())
        running.page("/flights", (PAGES / "shared-a.html").read_bytes())
        yield running


def rss(site) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Desk wire</title><link>{site.url("/")}</link>
<item><title>Harbour council sets mooring fees</title><link>{site.url("/council")}</link>
  <pubDate>Tue, 04 Nov 2025 09:30:00 +0100</pubDate>
  <content:encoded><![CDATA[{FULL_CONTENT}]]></content:encoded></item>
<item><title>Port workers end strike</title><link>{site.url("/strike")}</link>
  <description>Dock workers voted to end a nine-day strike.</description></item>
<item><title>Port workers end strike (again)</title><link>{site.url("/strike?utm_source=rss#top")}</link></item>
<item><title>Same story, other address</title><link>{site.url("/strike-copy")}</link></item>
<item><title>Gone</title><link>{site.url("/missing")}</link></item>
</channel></rss>"""


def test_a_feed_is_imported_with_a_summary(site, superuser, tmp_path, capsys):
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(site))
    call_command("import_feed", str(feed))
    out = capsys.readouterr().out
    assert (
        "Feed “Desk wire”: 5 items; imported 2, duplicates skipped 2 (1 by address, 1 by text), refused 1."
        in out
    )
    assert f"refused {site.url('/missing')}: {site.url('/missing')} answered 404" in out
    council = Article.objects.get(title="Harbour council sets mooring fees")
    assert council.text.startswith("Paragraph 1 of the harbour council story")
    assert len(council.text.split("\n\n")) == 5 and "Read more" not in council.text
    assert council.published_at.isoformat() == "2025-11-04T08:30:00+00:00"
    assert (
        council.extraction["fields"]["published_at"]["source"] == "the feed item's publication date"
    )
    assert council.source_url == site.url("/council")
    strike = Article.objects.get(source_url=site.url("/strike"))
    # The page's own metadata wins over the feed's.
    assert strike.title == "Port workers end strike after wage deal"
    assert (
        strike.extraction["fields"]["published_at"]["source"] == "JSON-LD NewsArticle datePublished"
    )


def test_importing_the_same_feed_again_adds_nothing(site, superuser, tmp_path, capsys):
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(site))
    call_command("import_feed", str(feed))
    capsys.readouterr()
    call_command("import_feed", str(feed))
    # The copy at another address was never stored under it: it is found by its text again.
    assert "imported 0, duplicates skipped 4 (3 by address, 1 by text), refused 1." in (
        capsys.readouterr().out
    )
    assert Article.objects.count() == 2


def test_a_feed_is_fetched_by_its_address(site, superuser, capsys):
    site.page("/feed.xml", rss(site).encode(), content_type="application/rss+xml")
    call_command("import_feed", site.url("/feed.xml"), "--limit", "2")
    assert "Feed “Desk wire”: 2 items; imported 2" in capsys.readouterr().out


def test_atom_content_is_taken_without_fetching(superuser, tmp_path, capsys):
    feed = tmp_path / "atom.xml"
    feed.write_text(
        f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom desk</title><id>urn:desk</id>
<entry><title>Moorings plan approved</title><id>urn:1</id>
<link href="https://desk.example/moorings"/><updated>2025-11-06T10:00:00Z</updated>
<published>2025-11-05T10:00:00Z</published><author><name>Ines Vidal</name></author>
<content type="html"><![CDATA[{FULL_CONTENT}]]></content></entry>
<entry><title>Teaser only</title><id>urn:2</id><link href="https://desk.example/teaser"/>
<summary>Short.</summary></entry>
</feed>"""
    )
    call_command("import_feed", str(feed), "--no-fetch")
    out = capsys.readouterr().out
    assert "imported 1" in out and "refused 1" in out
    assert "fetching is off" in out
    article = Article.objects.get()
    assert (article.title, article.byline) == ("Moorings plan approved", "Ines Vidal")
    # The publication date, not the update.
    assert article.published_at.isoformat() == "2025-11-05T10:00:00+00:00"


def test_the_import_runs_as_a_task(site, superuser, tmp_path, capsys):
    feed = tmp_path / "wire.xml"
    feed.write_text(rss(site))
    result = import_feed_task.enqueue(str(feed), superuser.username)
    assert result.return_value["summary"].startswith("Feed “Desk wire”: 5 items; imported 2")
    assert Article.objects.count() == 2
    call_command("import_feed", str(feed), "--enqueue")
    assert "imported 0" in capsys.readouterr().out


def test_what_is_not_a_feed_is_refused(superuser, tmp_path):
    page = tmp_path / "page.xml"
    page.write_text("this is not a feed <<<")
    with pytest.raises(CommandError, match="is not an RSS or Atom feed"):
        call_command("import_feed", str(page))
    with pytest.raises(CommandError, match="neither an http"):
        call_command("import_feed", str(tmp_path / "missing.xml"))
    assert not Article.objects.exists()


def test_addresses_are_compared_without_fragments_and_tracking():
    assert url_key("https://News.example/a?utm_source=x&id=3#top") == "https://news.example/a?id=3"
