"""Text files in the encodings newsrooms use come back right; a guess says so; a file whose
encoding cannot be told is refused with the choices named, and a chosen encoding is obeyed."""

import codecs
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.encodings import CHOICES, EncodingUnknown, decode
from articles.models import Article

pytestmark = pytest.mark.django_db

SPANISH = "Declaraciones de la alcaldesa Peña y del concejal Núñez: “no habrá recortes” — ¿y ahora?"
GERMAN = "Die Straßenbahn fährt ab März öfter, sagte Bürgermeisterin Jörg-Müller."


def upload(client, name, data, **fields):
    return client.post(
        "/api/articles/", {"file": SimpleUploadedFile(name, data), **fields}, format="multipart"
    )


@pytest.mark.parametrize(
    ("data", "encoding", "certain"),
    [
        (SPANISH.encode("utf-8"), "utf-8", True),
        (codecs.BOM_UTF8 + SPANISH.encode("utf-8"), "utf-8", True),
        (SPANISH.encode("utf-16"), "utf-16", True),
        (codecs.BOM_UTF16_BE + SPANISH.encode("utf-16-be"), "utf-16", True),
        (SPANISH.encode("cp1252"), "windows-1252", False),
        (GERMAN.encode("cp1252"), "windows-1252", False),
        (
            "Café con leña: la señora Peña y el señor Núñez.".encode("latin-1"),
            "windows-1252",
            False,
        ),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "cp1252", "cp1252-de", "latin-1"],
)
def test_newsroom_encodings_come_back_right(api_as, editor_user, data, encoding, certain):
    response = upload(api_as(editor_user), "story.txt", data)
    assert response.status_code == 201, response.json()
    body = response.json()
    expected = data.decode(
        {"windows-1252": "cp1252", "utf-8": "utf-8-sig", "utf-16": "utf-16"}[encoding]
    ).lstrip("\ufeff")
    assert body["text"] == expected
    assert "Peńa" not in body["text"] and "Núńez" not in body["text"]
    assert body["extraction"]["encoding"]["name"] == encoding
    assert body["extraction"]["encoding"]["certain"] is certain


def test_latin1_spanish_is_never_read_as_central_european():
    # The bug: a general detector read these bytes as Windows-1250 ("Peńa", "Núńez").
    for text in ("Peña", "Núñez", "La señora Peña habló con Núñez.", "año"):
        assert decode(text.encode("latin-1")).text == text


def test_html_declared_charset_is_used(api_as, editor_user):
    data = (Path(__file__).parent / "data" / "pages" / "pt-latin1.html").read_bytes()
    body = upload(api_as(editor_user), "page.html", data).json()
    assert "Segundo a secretária Márcia Conceição" in body["text"]
    assert body["byline"] == "João Gonçalves"
    assert body["extraction"]["encoding"] == {
        "name": "windows-1252",
        "certain": True,
        "reason": "declared",
    }


def test_cyrillic_in_windows_1251_is_detected():
    text = "Президент заявил в понедельник, что переговоры продолжатся на следующей неделе."
    decoded = decode(text.encode("cp1251"))
    assert decoded.text == text
    assert decoded.encoding == "windows-1251"
    assert decoded.certain is False


def test_bytes_whose_encoding_cannot_be_told_get_a_400_naming_the_choices(api_as, editor_user):
    response = upload(api_as(editor_user), "wire.txt", b"\xe4\xf6\xfc\xdf\xc4\xd6\xdc" * 3)
    assert response.status_code == 400
    message = response.json()["file"][0]
    assert "could not be told" in message
    for name in ("utf-8", "windows-1252", "iso-8859-1", "utf-16", "windows-1251"):
        assert name in message
    assert not Article.objects.exists()


def test_a_chosen_encoding_is_obeyed(api_as, editor_user):
    data = "La señora Peña".encode("latin-1")
    body = upload(api_as(editor_user), "a.txt", data, encoding="windows-1250").json()
    assert body["text"] == "La seńora Peńa"
    assert body["extraction"]["encoding"] == {
        "name": "windows-1250",
        "certain": True,
        "reason": "chosen",
    }


def test_a_chosen_encoding_the_bytes_are_not_valid_in_is_a_400(api_as, editor_user):
    response = upload(api_as(editor_user), "a.txt", "Peña".encode("latin-1"), encoding="utf-8")
    assert response.status_code == 400
    assert "is not valid UTF-8" in response.json()["encoding"][0]
    assert not Article.objects.exists()


def test_an_unknown_encoding_name_is_a_400_with_the_choices(api_as, editor_user):
    response = upload(api_as(editor_user), "a.txt", b"hello", encoding="klingon-8")
    assert response.status_code == 400
    assert "windows-1252" in response.json()["encoding"][0]


def test_utf16_without_a_mark_is_read_but_called_a_guess():
    decoded = decode("Peña said hello".encode("utf-16-le"))
    assert decoded.text == "Peña said hello"
    assert decoded.certain is False


def test_every_offered_encoding_is_known_to_python():
    for name in CHOICES:
        codecs.lookup(name)


def test_undecidable_is_a_validation_error_subclass():
    with pytest.raises(EncodingUnknown):
        decode(b"\xe4\xf6\xfc\xdf\xc4\xd6\xdc" * 3)
