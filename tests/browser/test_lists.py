"""The filtered lists in Chromium: a search marks its words, the filter form narrows the list."""

import pytest

from annotator.models import Entity
from articles.services import article_create
from tests.conftest import tag

pytestmark = pytest.mark.browser


def test_searching_quotes_marks_the_inflected_words_and_a_speaker_narrows_them(
    open_as, editor_user, annotator_user
):
    story, _ = article_create(
        user=editor_user,
        title="Cartels",
        text="“They designated the cartels,” said Sheinbaum. “We are designating more,” said Ruiz.",
        language="en",
    )
    sheinbaum = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    first = tag(
        story, annotator_user, "quote", "They designated the cartels", {"speaker": sheinbaum.pk}
    )
    second = tag(
        story, annotator_user, "quote", "We are designating more", {"speaker_name": "Ruiz"}
    )
    page = open_as(editor_user, "/quotes/")
    page.fill("input[name=q]", "designate")
    page.click("form[data-list-filters] button[type=submit]")
    page.wait_for_url("**/quotes/?q=designate*")
    assert sorted(page.locator("mark.search-hit").all_inner_texts()) == [
        "designated",
        "designating",
    ]
    assert page.locator("[data-total]").inner_text() == "2 quotes"
    page.select_option("select[name=speaker]", str(sheinbaum.pk))
    page.click("form[data-list-filters] button[type=submit]")
    page.wait_for_url(f"**speaker={sheinbaum.pk}*")
    rows = page.locator("tr[data-annotation-id]")
    assert rows.count() == 1
    assert rows.first.get_attribute("data-annotation-id") == str(first.pk)
    assert page.locator("mark.search-hit").all_inner_texts() == ["designated"]
    assert second.pk != first.pk
