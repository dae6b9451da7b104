"""Import by URL through the API, against a real HTTP server on this machine (a thread)."""

import gzip
from pathlib import Path

import pytest

from articles.fetch import address_refusal
from articles.models import Article
from tests.local_site import guard_loopback, serve

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).parent / "data" / "pages"


@pytest.fixture(autouse=True)
def only_loopback_connections(monkeypatch):
    guard_loopback(monkeypatch)


@pytest.fixture
def site(settings):
    with serve(settings) as running:
        yield running


def fetch(client, url, **extra):
    return client.post("/api/articles/", {"source_url": url, "fetch": True, **extra}, format="json")


def test_a_fetched_page_is_extracted_like_an_upload(api_as, editor_user, site):
    site.page("/world/strike", (PAGES / "wire-en.html").read_bytes())
    response = fetch(api_as(editor_user), site.url("/world/strike"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == "Port workers end strike after wage deal"
    assert body["source_url"] == site.url("/world/strike")
    assert body["published_at"] == "2025-11-04T14:32:00Z"
    assert body["text"].startswith("ROTTERVALE, Nov 4 (Harbour Wire)")
    assert "Read more" not in body["text"]
    assert body["extraction"]["fields"]["source_url"] == {
        "source": "typed by the person who added it"
    }


def test_the_host_is_sent_as_given_while_the_connection_goes_to_its_resolved_address(
    api_as, editor_user, site
):
    site.page("/a", (PAGES / "shared-a.html").read_bytes())
    response = fetch(api_as(editor_user), site.url("/a", host="localhost"))
    assert response.status_code == 201, response.json()
    assert site.hits == [("/a", f"localhost:{site.port}")]


def test_redirects_are_followed_and_recorded(api_as, editor_user, site):
    site.routes["/old"] = (301, {"Location": "/new"}, b"")
    site.page("/new", (PAGES / "shared-b.html").read_bytes())
    body = fetch(api_as(editor_user), site.url("/old")).json()
    assert body["title"] == "Volcano's ash keeps fishing fleet in port"
    assert body["source_url"] == site.url("/old")
    article = Article.objects.get(pk=body["id"])
    assert (
        article.extraction["fields"]["source_url"]["source"] == "typed by the person who added it"
    )


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://10.20.30.40/admin", "private"),
        ("http://192.168.1.1/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:10.0.0.1]/", "private"),
    ],
)
def test_a_redirect_to_an_inside_address_is_refused(api_as, editor_user, site, target, reason):
    site.routes["/go"] = (302, {"Location": target}, b"")
    response = fetch(api_as(editor_user), site.url("/go"))
    assert response.status_code == 400
    assert reason in response.json()["source_url"][0]
    assert site.hits == [("/go", f"127.0.0.1:{site.port}")]
    assert not Article.objects.exists()


def test_loopback_is_refused_unless_debug_or_the_setting_allows_it(
    api_as, editor_user, site, settings
):
    site.page("/a", (PAGES / "shared-a.html").read_bytes())
    settings.ARTICLE_FETCH_ALLOW_LOOPBACK = False
    settings.DEBUG = False
    response = fetch(api_as(editor_user), site.url("/a"))
    assert response.status_code == 400
    assert "loopback" in response.json()["source_url"][0]
    assert site.hits == []
    settings.DEBUG = True
    assert fetch(api_as(editor_user), site.url("/a")).status_code == 201


def test_a_page_over_the_size_limit_is_a_413(api_as, editor_user, site, settings):
    settings.ARTICLE_MAX_UPLOAD_BYTES = 2000
    site.page("/big", b"<p>" + b"word " * 1000 + b"</p>")
    response = fetch(api_as(editor_user), site.url("/big"))
    assert response.status_code == 413
    assert "2,000 bytes" in response.json()["source_url"][0]
    assert not Article.objects.exists()


def test_a_page_over_the_limit_without_a_length_is_cut_off(api_as, editor_user, site, settings):
    settings.ARTICLE_MAX_UPLOAD_BYTES = 2000
    site.routes["/stream"] = (
        200,
        {"Content-Type": "text/html", "Connection": "close", "_stream": "1"},
        b"<p>" + b"word " * 1000,
    )
    assert fetch(api_as(editor_user), site.url("/stream")).status_code == 413


def test_a_compressed_page_is_read_and_a_compressed_bomb_is_stopped(
    api_as, editor_user, site, settings
):
    site.page(
        "/gz",
        gzip.compress((PAGES / "fr-lire-aussi.html").read_bytes()),
        **{"Content-Encoding": "gzip"},
    )
    body = fetch(api_as(editor_user), site.url("/gz")).json()
    assert body["title"] == "La ville teste la gratuité des bus le week-end"
    settings.ARTICLE_MAX_UPLOAD_BYTES = 100_000
    site.page("/bomb", gzip.compress(b" " * 5_000_000), **{"Content-Encoding": "gzip"})
    assert fetch(api_as(editor_user), site.url("/bomb")).status_code == 413


def test_a_server_that_does_not_answer_times_out(api_as, editor_user, site, settings):
    settings.ARTICLE_FETCH_TIMEOUT = 0.5
    site.routes["/slow"] = "hang"
    response = fetch(api_as(editor_user), site.url("/slow"))
    assert response.status_code == 400
    assert "did not answer within 0.5 seconds" in response.json()["source_url"][0]


def test_the_servers_charset_is_used(api_as, editor_user, site):
    page = (
        "<html><body><article><h1>Año nuevo</h1><p>La señora Peña y el señor Núñez brindaron "
        "en la plaza mayor con los vecinos del barrio, como cada año.</p></article></body></html>"
    )
    site.page("/es", page.encode("cp1252"), content_type="text/html; charset=windows-1252")
    body = fetch(api_as(editor_user), site.url("/es")).json()
    assert "La señora Peña y el señor Núñez" in body["text"]
    assert body["extraction"]["encoding"]["reason"] == "declared"


@pytest.mark.parametrize(
    ("status", "headers", "message"),
    [
        (404, {"Content-Type": "text/html"}, "answered 404"),
        (200, {"Content-Type": "image/png"}, "is image/png"),
        (302, {}, "redirected without saying where"),
    ],
)
def test_unusable_answers_are_refused_with_a_reason(
    api_as, editor_user, site, status, headers, message
):
    site.routes["/x"] = (status, headers, b"\x89PNG")
    response = fetch(api_as(editor_user), site.url("/x"))
    assert response.status_code == 400
    assert message in response.json()["source_url"][0]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example/story.html", "Only http:// and https://"),
        ("http://user:secret@news.example/", "user name or password"),
    ],
)
def test_addresses_that_are_never_fetched(api_as, editor_user, url, message):
    response = fetch(api_as(editor_user), url)
    assert response.status_code == 400
    assert message in str(response.json())


def test_fetch_needs_an_address_and_nothing_else(api_as, editor_user):
    client = api_as(editor_user)
    assert "source_url" in client.post("/api/articles/", {"fetch": True}, format="json").json()
    response = client.post(
        "/api/articles/",
        {"fetch": True, "source_url": "https://news.example/a", "text": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "fetch" in response.json()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.10", "private"),
        ("100.64.0.1", "not public"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "private or reserved"),
        ("224.0.0.1", "private or reserved"),
        ("fe80::1%eth0", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:192.168.0.1", "private"),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_which_addresses_may_be_fetched(settings, address, refused):
    settings.DEBUG = False
    settings.ARTICLE_FETCH_ALLOW_LOOPBACK = False
    reason = address_refusal(address)
    assert (reason is None) if refused is None else (refused in reason)


def test_the_new_article_page_fetches_a_page_by_its_address(client, editor_user, site):
    site.page("/fi", (PAGES / "fi-ingress.html").read_bytes())
    client.force_login(editor_user)
    response = client.post(
        "/articles/new/", {"source_url": site.url("/fi"), "fetch": "on"}, follow=True
    )
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/articles/{article.pk}/"
    assert article.title == "Hirvikolarit lisääntyivät syksyllä"
    assert article.source_url == site.url("/fi")
    assert article.text.startswith("Poliisin mukaan hirvieläinonnettomuuksia")
