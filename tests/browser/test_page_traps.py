"""The traps issue 12 found on the annotation page, each walked through as a user would."""

import re

import pytest
from playwright.sync_api import expect

from annotator.models import Annotation
from tests.conftest import tag

from .conftest import select_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark(page, annotation_id):
    return page.locator(f'mark[data-annotation-id="{annotation_id}"]')


def announced(page):
    return page.locator("[data-announce-text]")


def live(article):
    return Annotation.objects.filter(article=article, deleted_at__isnull=True)


def test_undo_walks_back_the_chain_and_redo_walks_forward(open_as, annotator_user, article):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    select_words(page, "Claudia")
    page.keyboard.press("p")
    expect(announced(page)).to_contain_text("Tagged “Claudia” as Person")
    select_words(page, "Sheinbaum")
    page.keyboard.press("p")
    expect(announced(page)).to_contain_text("Tagged “Sheinbaum” as Person")
    a, b = live(article).order_by("start")
    page.keyboard.press("Control+z")
    expect(mark(page, b.pk)).to_have_count(0)
    expect(announced(page)).to_contain_text("Undone: Tagged “Sheinbaum” as Person")
    assert list(live(article)) == [a]
    page.keyboard.press("Control+z")
    expect(mark(page, a.pk)).to_have_count(0)
    assert not live(article).exists()
    page.keyboard.press("Control+z")
    expect(announced(page)).to_have_text("Nothing to undo.")
    page.keyboard.press("Control+Shift+z")
    expect(mark(page, a.pk)).to_have_count(1)
    page.keyboard.press("Control+Shift+z")
    expect(mark(page, b.pk)).to_have_count(1)
    # The same two tags came back (restored, not made again).
    assert {x.pk for x in live(article)} == {a.pk, b.pk}
    assert Annotation.objects.filter(article=article).count() == 2


def test_undo_never_touches_a_tag_outside_its_chain(
    open_as, annotator_user, other_annotator, article
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    select_words(page, "Claudia")
    page.keyboard.press("p")
    expect(announced(page)).to_contain_text("Tagged “Claudia” as Person")
    mine = live(article).get()
    theirs = tag(article, other_annotator, "location", "Ciudad de México")
    page.evaluate("window.newsdeskPage.poll()")
    expect(mark(page, theirs.pk)).to_have_count(1)
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    expect(announced(page)).to_have_text("Nothing to undo.")
    assert list(live(article)) == [theirs]
    assert mine.pk != theirs.pk


def test_undo_refuses_when_a_colleague_changed_the_tag_since(
    open_as, annotator_user, editor_user, article, entity_span
):
    from annotator.services import annotation_update

    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    page.select_option("[data-editor] select[name=label]", "organization")
    page.keyboard.press("Control+Enter")
    expect(announced(page)).to_contain_text("Relabelled")
    annotation_update(
        annotation=Annotation.objects.get(pk=entity_span.pk),
        user=editor_user,
        version=2,
        changes={"label": "location"},
    )
    page.evaluate("window.newsdeskPage.poll()")
    page.focus("[data-article-text]")
    page.keyboard.press("Control+z")
    expect(announced(page)).to_contain_text("Not undone: someone else changed that tag since")
    entity_span.refresh_from_db()
    assert (entity_span.label.slug, entity_span.version) == ("location", 3)


def test_a_label_key_on_a_selected_tag_without_text_changes_nothing(
    open_as, annotator_user, article, entity_span
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    page.focus("[data-article-text]")
    page.keyboard.press("o")
    page.keyboard.press("x")
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .chip')).to_have_text("Person")
    entity_span.refresh_from_db()
    assert (entity_span.label.slug, entity_span.version) == ("person", 1)


def test_enter_opens_the_editor_and_arrow_keys_in_it_save_nothing(
    open_as, annotator_user, article, entity_span
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.focus("[data-article-text]")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    label = page.locator("[data-editor] select[name=label]")
    expect(label).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    entity_span.refresh_from_db()
    assert (entity_span.label.slug, entity_span.version) == ("person", 1)
    page.keyboard.press("Escape")
    expect(page.locator("[data-editor]")).to_be_hidden()
    entity_span.refresh_from_db()
    assert entity_span.version == 1


def test_the_editor_shows_no_null(open_as, annotator_user, article, entity_span):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    expect(page.locator("[data-editor] blockquote")).to_have_text("Claudia Sheinbaum")
    assert "null" not in page.locator("[data-editor]").inner_text()


SET_RANGE_JS = """([char, startShift, word, endShift]) => {
  const root = document.querySelector('[data-article-text]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const find = (s) => { walker.currentNode = root; let n;
    while ((n = walker.nextNode())) if (n.data.includes(s)) return [n, n.data.indexOf(s)];
    throw new Error(s); };
  const [a, i] = find(char);
  const [b, j] = find(word);
  const range = document.createRange();
  range.setStart(a, i + startShift);
  range.setEnd(b, j + endShift);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""


def test_a_range_set_inside_an_emoji_is_saved_whole(open_as, annotator_user, article):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    # Starts between the two halves of 🎉's surrogate pair.
    page.evaluate(SET_RANGE_JS, ["🎉", 1, "Claudia", 7])
    page.keyboard.press("x")
    expect(announced(page)).to_contain_text("Tagged “🎉 Claudia” as Other")
    # Ends inside the Mexican flag (two regional indicators, four UTF-16 units).
    page.evaluate(SET_RANGE_JS, ["opened", 0, "🇲🇽", 1])
    page.keyboard.press("x")
    expect(announced(page)).to_contain_text("Tagged “opened 🇲🇽” as Other")
    quotes = [a.quote for a in live(article).order_by("start")]
    assert quotes == ["opened 🇲🇽", "🎉 Claudia"]
    for saved in live(article):
        assert article.text[saved.start : saved.end] == saved.quote


def test_keyboard_reach_skip_link_panel_rows_ctrl_enter_and_escape(
    open_as, annotator_user, article, entity_span
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("[data-article-text]")).to_be_focused()
    # The panel's rows are Tab stops of their own, with a visible focus ring.
    row = page.locator(f'[data-panel-id="{entity_span.pk}"]')
    for _ in range(6):
        page.keyboard.press("Tab")
        if row.evaluate("r => r === document.activeElement"):
            break
    expect(row).to_be_focused()
    assert row.evaluate("r => getComputedStyle(r).outlineStyle") != "none"
    page.keyboard.press("Enter")
    expect(mark(page, entity_span.pk)).to_have_class(re.compile("selected"))
    page.locator("[data-editor] select[name=label]").select_option("location")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .chip')).to_have_text("Location")
    page.keyboard.press("Escape")
    expect(page.locator("[data-editor]")).to_be_hidden()
    expect(row).to_be_focused()  # the keyboard is back on the tag's row


def test_roles_a_reviewer_is_offered_no_tagging(open_as, reviewer_user, article, entity_span):
    page = open_as(reviewer_user, f"/articles/{article.pk}/")
    for gone in ["[data-label]", "[data-suggest]", "[data-snap-words]"]:
        expect(page.locator(gone)).to_have_count(0)
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    editor = page.locator("[data-editor]")
    expect(editor).to_be_visible()
    expect(editor.locator("button[type=submit], button.danger, select")).to_have_count(0)
    page.keyboard.press("?")
    expect(page.locator("[data-help-dialog]")).not_to_contain_text("Tag the selected text")
    expect(page.locator("[data-help-dialog]")).not_to_contain_text("Delete the selected tag")


def test_roles_an_editor_edits_an_annotators_tag(open_as, editor_user, article, entity_span):
    page = open_as(editor_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    expect(page.locator("[data-editor] button[type=submit]")).to_be_visible()
    expect(page.locator("[data-editor] button.danger")).to_be_visible()


def test_the_status_buttons_say_where_the_article_goes(open_as, editor_user, article):
    page = open_as(editor_user, f"/articles/{article.pk}/")
    buttons = page.locator("[data-move-status]")
    texts = buttons.all_text_contents()
    assert texts and all(t.startswith("Move to ") for t in texts)
    assert not any("inreview" in t or "→" in t for t in texts)


def test_rejecting_a_colleagues_suggestion_offers_no_undo_the_server_would_refuse(
    open_as, annotator_user, other_annotator, article
):
    suggestion = tag(article, other_annotator, "location", "Ciudad de México", origin="machine")
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{suggestion.pk}"]')
    page.focus("[data-article-text]")
    page.keyboard.press("x")
    expect(announced(page)).to_contain_text("Only its author or an editor can bring it back")
    expect(page.locator("[data-announce-undo]")).to_be_hidden()
    page.keyboard.press("Control+z")
    expect(announced(page)).to_have_text("Nothing to undo.")
    suggestion.refresh_from_db()
    assert suggestion.deleted_at is not None
