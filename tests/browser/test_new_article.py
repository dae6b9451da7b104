"""The new-article page in Chromium: a file whose encoding was a guess is shown with a warning,
read again in another encoding, and saved as the editor last saw it."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATIN1 = "Declaraciones de la alcaldesa Peña y del concejal Núñez.".encode("latin-1")


def test_an_editor_picks_the_encoding_and_sees_the_text_again_before_saving(open_as, editor_user):
    page = open_as(editor_user, "/articles/new/")
    page.set_input_files(
        "input[name=file]", files=[{"name": "nota.txt", "mimeType": "text/plain", "buffer": LATIN1}]
    )
    page.click("button[name=action][value=save]")
    warning = page.locator("[data-encoding-warning]")
    expect(warning).to_contain_text("was a guess")
    expect(page.locator("[data-preview-text]")).to_contain_text(
        "alcaldesa Peña y del concejal Núñez"
    )
    assert not Article.objects.exists()

    page.select_option("select[name=encoding]", "windows-1250")
    page.click("[data-action=preview]")
    expect(page.locator("[data-preview-text]")).to_contain_text("Peńa y del concejal Núńez")
    expect(page.locator("[data-encoding-shown]")).to_contain_text("Windows-1250")

    page.select_option("select[name=encoding]", "windows-1252")
    page.click("[data-action=preview]")
    expect(page.locator("[data-preview-text]")).to_contain_text("Peña y del concejal Núñez")
    page.click("[data-action=save]")

    page.wait_for_url(re.compile(r"/articles/\d+/$"))
    text = page.locator("[data-article-text]")
    expect(text).to_contain_text("alcaldesa Peña y del concejal Núñez.")
    article = Article.objects.get()
    assert article.text == LATIN1.decode("latin-1")
    assert article.extraction["encoding"]["reason"] == "chosen"
