"""The annotation page after an edit of the text: a notice says what became of the tags, steps
through the changed and orphaned ones, and stays dismissed for that revision."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article
from tests.conftest import tag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def revise(client, article, *replacements):
    text = Article.objects.get(pk=article.pk).text
    for old, new in replacements:
        text = text.replace(old, new)
    response = client.patch(f"/api/articles/{article.pk}/", {"text": text}, format="json")
    assert response.status_code == 200, response.content
    return Article.objects.select_related("current_revision").get(pk=article.pk).current_revision


@pytest.fixture
def tags(article, annotator_user):
    return {
        "kept": tag(article, annotator_user, "claim", "Café 👩‍👩‍👧 opened"),
        "changed": tag(article, annotator_user, "person", "Claudia Sheinbaum"),
        "orphaned": tag(article, annotator_user, "location", "Ciudad de México"),
    }


def notice(page):
    return page.get_by_role("status").filter(has_text="This text was revised")


def test_the_notice_counts_the_tags_and_steps_to_the_changed_then_the_orphaned_one(
    open_as, api_as, editor_user, article, tags
):
    revision = revise(
        api_as(editor_user), article, ("Sheinbaum", "Sheinbaüm"), ("Ciudad de México", "capital")
    )
    page = open_as(editor_user, f"/articles/{article.pk}/")
    day = timezone.localdate(revision.created_at).isoformat()
    expect(notice(page)).to_have_text(
        f"This text was revised (revision 2, by {editor_user.username}, {day}): "
        "1 kept, 0 moved, 1 changed, 1 orphaned."
    )

    page.get_by_role("button", name="Next changed tag").click()
    changed = page.locator(f'mark[data-annotation-id="{tags["changed"].pk}"]')
    expect(changed).to_have_class(re.compile("selected"))
    expect(changed).to_have_text("Claudia Sheinbaüm")
    expect(page.locator("[data-announce-text]")).to_have_text(
        'Changed tag 1 of 1: "Sheinbaum" → "Sheinbaüm"'
    )

    page.get_by_role("button", name="Next orphaned tag").click()
    # An orphan is not drawn in the text: its row in the panel is selected, its editor opened.
    row = page.locator(f'[data-panel-id="{tags["orphaned"].pk}"]')
    expect(row).to_have_class(re.compile("selected"))
    expect(page.locator(".panel-item.selected")).to_have_count(1)
    expect(page.locator("[data-editor] .repair")).to_be_visible()
    expect(page.locator("[data-announce-text]")).to_contain_text("Orphaned tag 1 of 1")

    # Round again: the changed tag is the only one of its kind.
    page.get_by_role("button", name="Next changed tag").click()
    expect(changed).to_have_class(re.compile("selected"))


def test_a_dismissed_notice_stays_dismissed_until_the_next_revision(
    open_as, api_as, editor_user, article, tags
):
    revise(api_as(editor_user), article, ("Ciudad de México", "capital"))
    page = open_as(editor_user, f"/articles/{article.pk}/")
    expect(notice(page)).to_contain_text("revision 2")
    # Nothing changed but an orphan: only its stepper is offered.
    expect(page.get_by_role("button", name="Next changed tag")).to_be_hidden()
    page.get_by_role("button", name="Dismiss the revision notice").click()
    expect(notice(page)).to_be_hidden()

    page.reload()
    page.wait_for_selector("[data-article-text][data-ready=true]")
    expect(page.locator("[data-revision-notice]")).to_be_hidden()

    revise(api_as(editor_user), article, ("Café", "Un café"))
    page.reload()
    page.wait_for_selector("[data-article-text][data-ready=true]")
    expect(notice(page)).to_contain_text("revision 3")


def test_an_edit_that_keeps_every_tag_on_its_words_gives_no_notice(
    open_as, api_as, editor_user, article, tags
):
    revise(api_as(editor_user), article, ("— ok.", "— okay."))
    page = open_as(editor_user, f"/articles/{article.pk}/")
    expect(page.locator("[data-revision-notice]")).to_have_count(0)
