import re

import pytest
from playwright.sync_api import expect

from annotator.models import Annotation, Entity, Relation
from annotator.services import annotation_create, annotations_bulk_create
from annotator.suggest import run_suggesters
from articles.models import Article
from articles.services import article_create

from .conftest import poll, select_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def mark(page, annotation_id):
    return page.locator(f'mark[data-annotation-id="{annotation_id}"]')


def wait_saved(page, count=1):
    expect(page.locator("mark.hl:not([data-annotation-id^='tmp-'])")).to_have_count(count)


def test_mouse_drag_and_label_button_tags_the_words_after_emoji(open_as, annotator_user, article):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    box = select_words(page, "Claudia Sheinbaum")
    page.evaluate("window.getSelection().removeAllRanges()")
    page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2, steps=8)
    page.mouse.up()
    page.click('[data-label="person"]')
    wait_saved(page)
    saved = Annotation.objects.get()
    assert saved.quote == "Claudia Sheinbaum"
    assert article.text[saved.start : saved.end] == "Claudia Sheinbaum"
    expect(mark(page, saved.pk)).to_have_text("Claudia Sheinbaum")


def test_keyboard_selection_and_shortcut_tag_a_span(open_as, annotator_user, article):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.focus("[data-article-text]")
    select_words(page, "C", after="🎉 ")
    page.evaluate("window.getSelection().collapseToStart()")
    for _ in range(7):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("p")
    wait_saved(page)
    saved = Annotation.objects.get()
    assert (saved.quote, saved.label.slug) == ("Claudia", "person")


def test_nested_claim_quote_and_entity_are_all_visible_and_selectable(
    open_as, annotator_user, article
):
    text = article.text

    def tag(label, words):
        start = text.index(words)
        return annotation_create(
            article=article, author=annotator_user, label=label, start=start, end=start + len(words)
        )

    claim = tag("claim", "Ahora, el presidente 🎉 Claudia Sheinbaum habló en la Ciudad de México.")
    quote = tag("quote", "Claudia Sheinbaum habló en la Ciudad")
    person = tag("person", "Sheinbaum")
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    for a in (claim, quote, person):
        expect(mark(page, a.pk).first).to_be_visible()
    # The entity sits inside the quote, which sits inside the claim.
    nesting = page.evaluate(
        f"""() => {{
          const inner = document.querySelector('mark[data-annotation-id="{person.pk}"]');
          return [inner.parentElement.dataset.annotationId, inner.parentElement.parentElement.dataset.annotationId];
        }}"""
    )
    assert nesting == [str(quote.pk), str(claim.pk)]
    page.click(f'[data-panel-id="{quote.pk}"]')
    expect(page.locator("[data-editor] blockquote")).to_have_text(
        "Claudia Sheinbaum habló en la Ciudad"
    )
    expect(mark(page, quote.pk).first).to_have_class(re.compile("selected"))


def test_change_label_saves_only_on_save_then_delete_undo_and_redo(
    open_as, annotator_user, article, entity_span
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    page.select_option("[data-editor] select[name=label]", "organization")
    entity_span.refresh_from_db()
    assert (entity_span.label.slug, entity_span.version) == ("person", 1)  # not saved yet
    page.click("[data-editor] button[type=submit]")
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .chip')).to_have_text("Organization")
    expect(page.locator("[data-announce-text]")).to_contain_text(
        "Relabelled “Claudia Sheinbaum” from Person to Organization"
    )
    entity_span.refresh_from_db()
    assert (entity_span.label.slug, entity_span.version) == ("organization", 2)
    page.focus("[data-article-text]")
    page.keyboard.press("Delete")
    expect(mark(page, entity_span.pk)).to_have_count(0)
    expect(page.locator("[data-announce-text]")).to_contain_text("Deleted the tag")
    entity_span.refresh_from_db()
    assert entity_span.deleted_at is not None
    page.keyboard.press("Control+z")
    expect(mark(page, entity_span.pk)).to_have_count(1)
    entity_span.refresh_from_db()
    assert entity_span.deleted_at is None
    page.keyboard.press("Control+z")  # the relabel, undone exactly
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .chip')).to_have_text("Person")
    entity_span.refresh_from_db()
    assert entity_span.label.slug == "person"
    page.keyboard.press("Control+Shift+z")
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .chip')).to_have_text("Organization")
    entity_span.refresh_from_db()
    assert entity_span.label.slug == "organization"


def test_link_a_quote_to_its_speaker_span(open_as, annotator_user, article, entity_span):
    start = article.text.index("Ça va très bien")
    quote = annotation_create(
        article=article, author=annotator_user, label="quote", start=start, end=start + 15
    )
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{quote.pk}"]')
    page.select_option("[data-editor] select[name=speaker_span]", f"span:{entity_span.pk}")
    page.select_option("[data-editor] select[name=attribution]", "paraphrase")
    page.click("[data-editor] button[type=submit]")
    expect(page.locator("[data-announce-text]")).to_contain_text("Saved “Ça va très bien”")
    expect(page.locator(f'[data-panel-id="{quote.pk}"] .panel-detail')).to_have_text(
        "— Claudia Sheinbaum"
    )
    quote.refresh_from_db()
    entity_span.refresh_from_db()
    speaker = Entity.objects.get(name="Claudia Sheinbaum")
    assert (quote.speaker_id, entity_span.entity_id, quote.attributes["attribution"]) == (
        speaker.pk,
        speaker.pk,
        "paraphrase",
    )
    assert Relation.objects.filter(source=quote, target=entity_span, type="spoken_by").exists()


def test_claim_verdict_is_offered_once_the_fact_check_is_done(open_as, annotator_user, article):
    claim = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{claim.pk}"]')
    verdict = page.locator("[data-editor] select[name=verdict]")
    expect(verdict).to_be_disabled()  # the fact-check is "unchecked"
    page.select_option("[data-editor] select[name=fact_check_state]", "checked")
    expect(verdict).to_be_enabled()
    page.select_option("[data-editor] select[name=verdict]", "mostly_false")
    page.fill("[data-editor] textarea[name=verdict_note]", "Figures from 2023, not 2025.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f'[data-panel-id="{claim.pk}"] .panel-detail')).to_have_text(
        "verdict: mostly false"
    )
    claim.refresh_from_db()
    assert claim.attributes == {
        "fact_check_state": "checked",
        "verdict": "mostly_false",
        "verdict_note": "Figures from 2023, not 2025.",
    }
    page.select_option("[data-editor] select[name=fact_check_state]", "checking")
    expect(verdict).to_have_value("")
    page.keyboard.press("Control+Enter")
    expect(page.locator(f'[data-panel-id="{claim.pk}"] .panel-detail')).to_have_text(
        "fact-check: checking"
    )
    claim.refresh_from_db()
    assert "verdict" not in claim.attributes


def test_entity_span_links_to_a_new_canonical_entity(open_as, annotator_user, article, entity_span):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    # The box comes filled with the tag's words, and shows what they find without typing.
    expect(page.locator("[data-entity-search=entity]")).to_have_value("Claudia Sheinbaum")
    page.click('[data-create-entity="Claudia Sheinbaum"]')
    expect(page.locator("[data-editor] .entity-current")).to_have_text("Claudia Sheinbaum")
    page.click("[data-editor] button[type=submit]")
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .panel-detail')).to_have_text(
        "→ Claudia Sheinbaum"
    )
    entity_span.refresh_from_db()
    assert entity_span.entity.name == "Claudia Sheinbaum"


def test_suggestions_are_dashed_and_accepted_or_rejected_by_key_with_undo(
    open_as, annotator_user, article
):
    Entity.objects.create(name="Claudia Sheinbaum", type="person")
    Entity.objects.create(name="Ciudad de México", type="location")
    ids = run_suggesters(article=article, user=annotator_user)
    suggested = list(Annotation.objects.filter(pk__in=ids).select_related("label"))
    assert {a.label.slug for a in suggested} == {"person", "location", "quote"}
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    person = next(a for a in suggested if a.label.slug == "person")
    quote = next(a for a in suggested if a.label.slug == "quote")
    expect(mark(page, person.pk)).to_have_class(re.compile("status-suggested"))
    page.click(f'[data-panel-id="{person.pk}"]')
    page.focus("[data-article-text]")
    page.keyboard.press("a")
    expect(mark(page, person.pk)).to_have_class(re.compile("status-pending"))
    expect(page.locator("[data-announce-text]")).to_contain_text(
        "Accepted the suggestion “Claudia Sheinbaum” as Person"
    )
    page.keyboard.press("Control+z")
    expect(mark(page, person.pk)).to_have_class(re.compile("status-suggested"))
    person.refresh_from_db()
    assert person.status == "suggested"
    # x on a selected suggestion rejects it (x is also the Other label's key, for selected text).
    page.click(f'[data-panel-id="{quote.pk}"]')
    page.focus("[data-article-text]")
    page.keyboard.press("x")
    expect(mark(page, quote.pk)).to_have_count(0)
    expect(page.locator("[data-announce-text]")).to_contain_text("Rejected the suggestion")
    quote.refresh_from_db()
    assert (quote.deleted_at is not None, quote.label.slug) == (True, "quote")
    page.locator("[data-announce-undo]").click()
    expect(mark(page, quote.pk).first).to_be_visible()
    quote.refresh_from_db()
    assert (quote.deleted_at, quote.status) == (None, "suggested")
    page.click('[data-reject-all="location"]')
    location = next(a for a in suggested if a.label.slug == "location")
    expect(mark(page, location.pk)).to_have_count(0)
    location.refresh_from_db()
    assert location.deleted_at is not None


def test_filters_are_a_class_on_the_container_and_j_skips_what_they_hide(
    open_as, annotator_user, article, entity_span
):
    claim = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.uncheck("[data-filter-kind=entity]")
    expect(page.locator("#annotate")).to_have_class(re.compile("hide-entity"))
    # Not redrawn: the highlight stays, without its look, and its panel row is not shown.
    expect(mark(page, entity_span.pk)).to_have_count(1)
    assert mark(page, entity_span.pk).evaluate("m => getComputedStyle(m).boxShadow") == "none"
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"]')).to_be_hidden()
    expect(page.locator(f'[data-panel-id="{claim.pk}"]')).to_be_visible()
    page.focus("[data-article-text]")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(mark(page, claim.pk)).to_have_class(re.compile("selected"))
    page.check("[data-filter-kind=entity]")
    page.select_option("[data-filter-status]", "approved")
    expect(page.locator(".panel-item:visible")).to_have_count(0)
    page.select_option("[data-filter-status]", "")
    page.select_option("[data-filter-label]", "claim")
    expect(page.locator(".panel-item:visible")).to_have_count(1)


def test_j_and_k_walk_annotations_and_question_mark_opens_help(
    open_as, annotator_user, article, entity_span
):
    claim = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.focus("[data-article-text]")
    page.keyboard.press("j")
    expect(mark(page, claim.pk)).to_have_class(re.compile("selected"))
    page.keyboard.press("j")
    expect(mark(page, entity_span.pk)).to_have_class(re.compile("selected"))
    page.keyboard.press("k")
    expect(mark(page, claim.pk)).to_have_class(re.compile("selected"))
    page.keyboard.press("?")
    help_dialog = page.locator("[data-help-dialog]")
    expect(help_dialog).to_be_visible()
    for words in ["Next tag", "Undo the last change", "Redo what was undone",
                  "Reject the selected suggestion", "Tag the selected text as Other"]:  # fmt: skip
        expect(help_dialog).to_contain_text(words)
    keys = help_dialog.locator("table").evaluate_all(
        "ts => ts.map(t => [...t.querySelectorAll('kbd')].map(k => k.textContent))"
    )
    for in_one_context in keys:
        assert len(in_one_context) == len(set(in_one_context)), in_one_context
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()


def test_another_editors_tag_appears_when_the_page_polls(
    open_as, annotator_user, other_annotator, article
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    theirs = annotation_create(
        article=article, author=other_annotator, label="claim", start=0, end=4
    )
    expect(mark(page, theirs.pk)).to_have_count(0)  # the page has not asked yet
    poll(page)
    expect(mark(page, theirs.pk)).to_have_count(1)


def test_the_automatic_poll_brings_a_colleagues_tag(
    open_as, settings, annotator_user, other_annotator, article
):
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    settings.ANNOTATION_POLL_MS = 200
    page.reload()
    page.wait_for_selector("[data-article-text][data-ready=true]")
    theirs = annotation_create(
        article=article, author=other_annotator, label="claim", start=0, end=4
    )
    expect(mark(page, theirs.pk)).to_have_count(1, timeout=5000)


def test_a_colleagues_bulk_run_of_more_than_a_page_of_changes_all_appear(
    open_as, editor_user, annotator_user, other_annotator
):
    article, _ = article_create(
        user=editor_user, title="Many", text=" ".join(f"w{i}" for i in range(1200))
    )
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    text = article.text
    starts = [i for i in range(len(text)) if text[i] == "w"][:1100]
    # Made last word first, so the newest changes come first in text order: the poll must read
    # both of its pages (1,000 changes each) before it moves its high-water mark.
    items = [{"label": "other", "start": s, "end": s + 2} for s in reversed(starts)]
    annotations_bulk_create(article=article, author=other_annotator, items=items)
    poll(page)
    expect(page.locator("mark.hl")).to_have_count(1100)


def test_conflicting_edit_gets_a_message_and_never_overwrites(
    open_as, editor_user, annotator_user, article, entity_span
):
    from annotator.services import annotation_update

    # The page does not poll on its own here: it still holds version 1 when it saves, whatever
    # the machine's speed, so the save must meet the colleague's version 2.
    page = open_as(editor_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{entity_span.pk}"]')
    annotation_update(
        annotation=entity_span, user=annotator_user, version=1, changes={"label": "location"}
    )
    page.select_option("[data-editor] select[name=label]", "organization")
    page.click("[data-editor] button[type=submit]")
    expect(page.locator("[data-announce-text]")).to_contain_text(
        "Someone else changed this tag first"
    )
    expect(page.locator(f'[data-panel-id="{entity_span.pk}"] .chip')).to_have_text("Location")
    entity_span.refresh_from_db()
    assert (entity_span.label.slug, entity_span.version) == ("location", 2)


def test_an_annotator_is_not_offered_changes_to_a_colleagues_tag(
    open_as, annotator_user, other_annotator, article
):
    theirs = annotation_create(
        article=article, author=other_annotator, label="claim", start=0, end=4
    )
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    page.click(f'[data-panel-id="{theirs.pk}"]')
    editor = page.locator("[data-editor]")
    expect(editor).to_contain_text("You can change only your own pending tags.")
    expect(editor.locator("select, textarea, button[type=submit], button.danger")).to_have_count(0)
    page.focus("[data-article-text]")
    page.keyboard.press("Delete")
    expect(page.locator("[data-announce-text]")).to_contain_text("You cannot delete this tag")
    theirs.refresh_from_db()
    assert theirs.deleted_at is None
    expect(mark(page, theirs.pk)).to_have_count(1)


def test_article_text_is_never_rendered_as_html(open_as, editor_user):
    article, _ = article_create(
        user=editor_user,
        title="<img src=x onerror=alert(1)>",
        text="Hi <b>there</b> <script>window.owned=1</script>",
    )
    page = open_as(editor_user, f"/articles/{article.pk}/")
    expect(page.locator("[data-article-text]")).to_have_text(
        "Hi <b>there</b> <script>window.owned=1</script>"
    )
    assert page.locator("[data-article-text] b").count() == 0
    assert page.evaluate("window.owned") is None


def test_a_page_with_5000_annotations_opens_and_takes_a_new_tag(
    open_as, editor_user, annotator_user
):
    paragraph = "The minister said the plan 🚆 would cost €4 billion and finish in 2030. "
    article, _ = article_create(
        user=editor_user, title="Long", text="\n\n".join(paragraph * 4 for _ in range(700))
    )
    text = article.text
    starts = [i for i in range(len(text)) if text.startswith("minister", i)][:2500]
    items = [{"label": "person", "start": s, "end": s + 8} for s in starts]
    items += [{"label": "claim", "start": s - 4, "end": s + 42} for s in starts]
    annotations_bulk_create(article=article, author=annotator_user, items=items)
    assert Annotation.objects.filter(article=article).count() == 5000
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    expect(page.locator("mark.hl.kind-entity")).to_have_count(2500)
    select_words(page, "2030", after="billion")
    page.keyboard.press("e")
    expect(page.locator("[data-announce-text]")).to_contain_text("as Event", timeout=20_000)
    assert Annotation.objects.filter(article=article, label__slug="event").get().quote == "2030"


def test_published_article_is_read_only_for_annotators(open_as, annotator_user, article):
    Article.objects.filter(pk=article.pk).update(status="published")
    page = open_as(annotator_user, f"/articles/{article.pk}/")
    expect(page.locator("[data-label]")).to_have_count(0)
    expect(page.locator("[data-suggest]")).to_have_count(0)
    assert page.locator("[data-article-text]").get_attribute("contenteditable") is None
    select_words(page, "Claudia")
    page.keyboard.press("p")
    expect(page.locator("mark.hl")).to_have_count(0)
    assert not Annotation.objects.exists()


def test_a_link_to_an_annotation_opens_it_selected(open_as, annotator_user, article, entity_span):
    page = open_as(annotator_user, f"/articles/{article.pk}/#annotation-{entity_span.pk}")
    expect(mark(page, entity_span.pk)).to_have_class(re.compile("selected"))
    expect(page.locator("[data-editor] blockquote")).to_have_text("Claudia Sheinbaum")


def test_an_orphaned_tag_is_listed_for_repair_not_drawn_and_can_be_moved_back(
    open_as, editor_user, annotator_user, article
):
    from annotator.services import article_update
    from tests.conftest import tag

    lost = tag(article, annotator_user, "person", "Claudia Sheinbaum")
    new_text = article.text.replace("Claudia Sheinbaum", "la presidenta")
    article_update(article=article, user=editor_user, changes={"text": new_text})
    assert Annotation.objects.get(pk=lost.pk).anchor_state == "orphaned"

    page = open_as(editor_user, f"/articles/{article.pk}/")
    expect(mark(page, lost.pk)).to_have_count(0)  # its old offsets now hold other words
    item = page.locator(f'[data-panel-id="{lost.pk}"]')
    expect(item.locator(".panel-detail")).to_contain_text("needs repair")
    item.click()
    expect(page.locator("[data-editor] .repair")).to_be_visible()
    select_words(page, "la presidenta")
    page.get_by_role("button", name="Move to selection (r)").click()
    expect(mark(page, lost.pk)).to_have_text("la presidenta")
    moved = Annotation.objects.get(pk=lost.pk)
    assert (moved.anchor_state, moved.quote) == ("anchored", "la presidenta")
