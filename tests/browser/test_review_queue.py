import pytest
from playwright.sync_api import expect

from annotator.services import annotation_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reviewer_approves_and_rejects_with_the_keyboard(
    open_as, reviewer_user, annotator_user, article
):
    first = annotation_create(article=article, author=annotator_user, label="claim", start=0, end=4)
    second = annotation_create(
        article=article, author=annotator_user, label="claim", start=5, end=8
    )
    page = open_as(reviewer_user, "/review/")
    page.wait_for_selector("[data-review-list][data-ready=true]")
    page.keyboard.press("a")
    expect(page.locator(f'[data-annotation-id="{first.pk}"] [data-result]')).to_have_text(
        "Approved."
    )
    page.on("dialog", lambda dialog: dialog.accept("Not checkable."))
    page.keyboard.press("j")
    page.keyboard.press("r")
    expect(page.locator(f'[data-annotation-id="{second.pk}"] [data-result]')).to_have_text(
        "Rejected: Not checkable."
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.review_note) == (
        "approved",
        "rejected",
        "Not checkable.",
    )


def test_annotator_in_the_queue_is_refused_by_the_api(
    open_as, annotator_user, other_annotator, article
):
    theirs = annotation_create(
        article=article, author=other_annotator, label="claim", start=0, end=4
    )
    page = open_as(annotator_user, "/review/")
    page.wait_for_selector("[data-review-list][data-ready=true]")
    page.keyboard.press("a")
    expect(page.locator(f'[data-annotation-id="{theirs.pk}"] [data-result]')).to_contain_text(
        "Only reviewers"
    )
    theirs.refresh_from_db()
    assert theirs.status == "pending"
