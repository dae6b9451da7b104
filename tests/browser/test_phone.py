"""Phone widths (360-414 px): nothing wider than the screen, a compact toolbar, the editor as a
bottom sheet, and touch selection that tags."""

import pytest
from playwright.sync_api import expect

from annotator.models import Annotation

from .conftest import PHONE, select_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.mark.parametrize("width", [360, 390, 414])
def test_pages_do_not_scroll_sideways_on_a_phone(open_as, editor_user, article, entity_span, width):
    phone = PHONE | {"viewport": {"width": width, "height": 844}}
    page = open_as(editor_user, f"/articles/{article.pk}/", **phone)
    scroll, client = page.evaluate(NO_SIDEWAYS)
    assert scroll <= client, f"annotation page is {scroll} px wide at {width} px"
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    scroll, client = page.evaluate(NO_SIDEWAYS)
    assert scroll <= client
    for path in ["/", "/review/", "/articles/new/", "/quotes/", "/claims/", "/entities/"]:
        page.goto(page.url.split("/articles/")[0] + path)
        scroll, client = page.evaluate(NO_SIDEWAYS)
        assert scroll <= client, f"{path} is {scroll} px wide at {width} px"


def test_the_nav_is_whole_and_the_toolbar_compact_on_a_phone(open_as, editor_user, article):
    page = open_as(editor_user, f"/articles/{article.pk}/", **PHONE)
    for link in page.locator(".topbar nav a").all():
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, link.text_content()
    toolbar = page.locator(".toolbar").bounding_box()
    assert toolbar["height"] <= 100, toolbar


def test_the_editor_is_a_bottom_sheet_on_a_phone(open_as, editor_user, article, entity_span):
    page = open_as(editor_user, f"/articles/{article.pk}/", **PHONE)
    page.locator(f'mark[data-annotation-id="{entity_span.pk}"]').first.tap()
    editor = page.locator("[data-editor]")
    expect(editor).to_be_visible()
    box = editor.bounding_box()
    assert abs(box["y"] + box["height"] - 844) <= 1, box  # sits on the bottom edge
    assert box["height"] <= 844 * 0.6 + 1
    assert box["width"] >= 389
    page.locator("[data-editor] .close").tap()
    expect(editor).to_be_hidden()


def test_a_touch_selection_is_tagged_by_tapping_a_label(open_as, annotator_user, article):
    page = open_as(annotator_user, f"/articles/{article.pk}/", **PHONE)
    # A long-press selects a word and shows the handles; the handles set the range (here as a
    # script would), then the tap on a label must still see it.
    page.locator("[data-article-text]").tap()
    select_words(page, "Ciudad de México")
    page.locator('[data-label="location"]').tap()
    expect(page.locator("[data-announce-text]")).to_contain_text(
        "Tagged “Ciudad de México” as Location"
    )
    saved = Annotation.objects.get()
    assert (saved.quote, saved.label.slug) == ("Ciudad de México", "location")
