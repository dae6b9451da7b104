"""The new-article page: a guessed encoding checked before saving (fetching by URL from the page is
in test_ingest_fetch.py, beside its local server)."""

import pytest

from articles import pending
from articles.models import Article

pytestmark = pytest.mark.django_db

LATIN1 = "Declaraciones de la alcaldesa Peña y del concejal Núñez.".encode("latin-1")


def post_file(client, name, data, *, follow=False, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/articles/new/", {"file": SimpleUploadedFile(name, data), **fields}, follow=follow
    )


def kept_bytes(response) -> str:
    return response.context["form"].data["pending"]


def test_fetch_without_an_address_is_refused_on_the_form(client, editor_user):
    client.force_login(editor_user)
    response = client.post("/articles/new/", {"fetch": "on"})
    assert "Give the address of the page to fetch." in response.content.decode()
    assert not Article.objects.exists()


def test_a_guessed_encoding_shows_the_text_and_saves_nothing_yet(client, editor_user):
    client.force_login(editor_user)
    response = post_file(client, "nota.txt", LATIN1)
    page = response.content.decode()
    assert response.status_code == 200
    assert "was a guess" in page
    assert "Peña y del concejal Núñez" in page
    assert 'value="windows-1252" selected' in page
    assert not Article.objects.exists()


def test_another_encoding_shows_the_text_again_then_saving_keeps_the_choice(client, editor_user):
    client.force_login(editor_user)
    token = kept_bytes(post_file(client, "nota.txt", LATIN1))
    again = client.post(
        "/articles/new/", {"pending": token, "encoding": "windows-1250", "action": "preview"}
    )
    assert "Peńa y del concejal Núńez" in again.content.decode()
    assert not Article.objects.exists()
    saved = client.post(
        "/articles/new/",
        {"pending": kept_bytes(again), "encoding": "windows-1252", "action": "save"},
        follow=True,
    )
    article = Article.objects.get()
    assert saved.redirect_chain[-1][0] == f"/articles/{article.pk}/"
    assert article.text == LATIN1.decode("latin-1")
    assert article.extraction["encoding"] == {
        "name": "windows-1252",
        "certain": True,
        "reason": "chosen",
    }


def test_undecidable_bytes_ask_for_an_encoding(client, editor_user):
    client.force_login(editor_user)
    response = post_file(client, "wire.txt", "Привет, мир! Как дела?".encode("koi8-r")[:6] * 3)
    page = response.content.decode()
    assert "could not be told" in page
    assert 'name="encoding"' in page
    assert not Article.objects.exists()


def test_a_tampered_kept_file_is_refused(client, editor_user):
    client.force_login(editor_user)
    token = kept_bytes(post_file(client, "nota.txt", LATIN1))
    forged = pending.dumps(pending.Pending(name="nota.txt", data=b"other bytes"))[:-3] + "abc"
    for value in (forged, token[:-1] + ("A" if token[-1] != "A" else "B")):
        response = client.post("/articles/new/", {"pending": value, "action": "save"})
        assert "could not be read back" in response.content.decode()
    assert not Article.objects.exists()


def test_a_certain_file_is_saved_at_once(client, editor_user):
    client.force_login(editor_user)
    response = post_file(client, "nota.txt", "La señora Peña.".encode(), follow=True)
    article = Article.objects.get()
    assert article.text == "La señora Peña."
    assert response.redirect_chain[-1][0] == f"/articles/{article.pk}/"
