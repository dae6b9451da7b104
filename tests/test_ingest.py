"""Bringing articles in from real files: through the API, the upload page and the import command."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from articles.models import Article

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"


def upload(client, name, content=None, **fields):
    data = content if content is not None else (DATA / name).read_bytes()
    return client.post(
        "/api/articles/", {"file": SimpleUploadedFile(name, data), **fields}, format="multipart"
    )


def test_news_page_keeps_the_story_and_drops_the_boilerplate(api_as, editor_user):
    response = upload(api_as(editor_user), "news-page.html")
    assert response.status_code == 201, response.json()
    body = response.json()
    text = body["text"]
    assert text.startswith("La presidenta Claudia Sheinbaum rechazó")
    assert "“México coordina y colabora, pero no se subordina”" in text
    assert text.endswith("ambos países.")
    assert text.count("\n\n") == 4  # five paragraphs, blank-line separated
    for junk in [
        "cookies",
        "Portada",
        "PUBLICIDAD",
        "Noticias relacionadas",
        "Suscribirme",
        "alert",
        "dataLayer",
        "©",
    ]:
        assert junk not in text
    assert body["title"] == "Sheinbaum rechaza intervención militar de EE.UU."
    assert body["byline"] == "María López"
    assert body["source_url"] == "https://diario.example/mundo/sheinbaum-rechaza-intervencion"
    assert body["published_at"].startswith("2025-11-04")
    assert body["language"] == "es"


def test_word_file_keeps_paragraphs_and_metadata(api_as, editor_user):
    body = upload(api_as(editor_user), "reporter-draft.docx").json()
    assert body["title"] == "Mayor defends the budget"
    assert body["byline"] == "Ana Reporter"
    assert body["text"].split("\n\n") == [
        "The mayor said on Tuesday that the city budget is balanced for the first time in a decade.",
        "“We did not cut a single school,” she told reporters outside City Hall.",
        "Critics say the numbers rely on one-off land sales worth €40 million.",
    ]


def test_latin1_text_is_detected_and_decoded(api_as, editor_user):
    body = upload(api_as(editor_user), "latin1.txt", title="Leña").json()
    assert body["text"].startswith("Café con leña: el señor Muñoz")
    assert "¿preguntas?" in body["text"]
    assert "\r" not in body["text"]


def test_utf8_bom_and_crlf_are_normalised_away(api_as, editor_user):
    body = upload(api_as(editor_user), "bom-utf8.txt").json()
    assert (
        body["text"]
        == "Titular con BOM\n\nEl texto empieza con una marca de orden de bytes y usa CRLF."
    )


def test_markdown_becomes_plain_paragraphs(api_as, editor_user):
    body = upload(api_as(editor_user), "notes.md").json()
    assert body["title"] == "Council votes on transit plan"
    assert "**" not in body["text"] and "](" not in body["text"]
    assert body["text"].startswith(
        "The council voted 7 to 2 on Monday to approve the transit plan."
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("empty.txt", "is empty"),
        ("picture-named.txt", "binary"),
        ("picture.png", "not a supported type"),
    ],
)
def test_unusable_files_are_refused_with_a_reason(api_as, editor_user, name, message):
    response = upload(api_as(editor_user), name)
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not Article.objects.exists()


def test_oversized_file_is_a_413(api_as, editor_user, settings):
    settings.ARTICLE_MAX_UPLOAD_BYTES = 1000
    response = upload(api_as(editor_user), "big.txt", b"word " * 300)
    assert response.status_code == 413
    assert "limit is 1,000 bytes" in response.json()["file"][0]
    assert not Article.objects.exists()


def test_text_and_file_together_are_refused(api_as, editor_user):
    response = upload(api_as(editor_user), "latin1.txt", text="also text")
    assert response.status_code == 400


def test_upload_page_shows_the_extracted_text_after_saving(client, editor_user):
    client.force_login(editor_user)
    with (DATA / "news-page.html").open("rb") as handle:
        response = client.post("/articles/new/", {"file": handle}, follow=True)
    assert response.status_code == 200
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/articles/{article.pk}/"
    page = response.content.decode()
    assert "La presidenta Claudia Sheinbaum rechazó" in page
    assert "<script>track()" not in page


def test_upload_page_shows_a_refusal_on_the_form(client, editor_user):
    client.force_login(editor_user)
    with (DATA / "picture-named.txt").open("rb") as handle:
        response = client.post("/articles/new/", {"file": handle})
    assert response.status_code == 200
    assert "binary" in response.content.decode()
    assert not Article.objects.exists()


def test_pasted_html_is_stored_as_text_and_never_rendered(client, editor_user):
    client.force_login(editor_user)
    response = client.post(
        "/articles/new/",
        {"text": "Hello <script>alert(1)</script> <b>bold</b>", "title": "x"},
        follow=True,
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    assert "<script>alert(1)" not in response.content.decode()


def test_import_command_reports_imported_duplicates_and_refusals(tmp_path, superuser, capsys):
    folder = tmp_path / "wire"
    folder.mkdir()
    for name in [
        "news-page.html",
        "reporter-draft.docx",
        "latin1.txt",
        "empty.txt",
        "picture-named.txt",
    ]:
        (folder / name).write_bytes((DATA / name).read_bytes())
    records = [
        {"title": "Wire 1", "text": "First wire story."},
        {"title": "Wire 1 again", "text": "First wire story.\r\n"},
        {"title": "No text"},
    ]
    (folder / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n")
    call_command("import_articles", str(folder))
    out = capsys.readouterr().out
    assert "Imported 4, duplicates skipped 1, refused 4." in out
    assert "refused empty.txt" in out and "refused feed.jsonl:4: not valid JSON" in out
    assert Article.objects.count() == 4


def test_an_imported_file_keeps_the_record_of_where_its_fields_came_from(tmp_path, superuser):
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "news-page.html").write_bytes((DATA / "news-page.html").read_bytes())
    (folder / "untitled-note.txt").write_text("A note without a headline.\n", encoding="utf-8")
    call_command("import_articles", str(folder))
    page = Article.objects.exclude(title="untitled note").get()
    assert page.extraction["format"] == "html"
    assert page.extraction["fields"]["title"]["source"] != "not found"
    note = Article.objects.get(title="untitled note")
    assert note.extraction["fields"]["title"] == {"source": "the file's name"}
