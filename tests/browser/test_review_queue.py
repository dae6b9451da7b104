import re

import pytest
from playwright.sync_api import expect

from annotator.models import Annotation
from annotator.services import annotation_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def item(page, annotation):
    return page.locator(f'.review-item[data-annotation-id="{annotation.pk}"]')


def open_queue(open_as, user):
    page = open_as(user, "/review/")
    page.wait_for_selector("[data-review-list][data-ready=true]")
    return page


@pytest.fixture
def queue(article, annotator_user):
    return [
        annotation_create(article=article, author=annotator_user, label="claim", start=s, end=e)
        for s, e in [(0, 4), (5, 8), (9, 15), (16, 19)]
    ]


def test_reviewer_approves_and_rejects_with_the_keyboard_and_a_preset_reason(
    open_as, reviewer_user, queue, settings
):
    first, second = queue[:2]
    page = open_queue(open_as, reviewer_user)
    page.keyboard.press("a")
    expect(item(page, first).locator("[data-result]")).to_have_text("Approved.")
    expect(item(page, second)).to_have_class(re.compile("current"))
    page.keyboard.press("r")
    dialog = page.locator("[data-reject-dialog]")
    expect(dialog).to_be_visible()
    # The desk's preset reasons, from settings, plus the reviewer's own words.
    for reason in settings.REVIEW_REJECT_REASONS:
        expect(dialog.get_by_label(reason)).to_have_count(1)
    dialog.get_by_label("Wrong label").check()
    dialog.locator("textarea[name=note]").fill("it is a quote")
    dialog.get_by_role("button", name="Reject").click()
    expect(item(page, second).locator("[data-result]")).to_have_text(
        "Rejected: Wrong label: it is a quote"
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.review_note) == (
        "approved",
        "rejected",
        "Wrong label: it is a quote",
    )


def test_a_reject_needs_a_reason_and_cancel_changes_nothing(open_as, reviewer_user, queue):
    page = open_queue(open_as, reviewer_user)
    page.keyboard.press("r")
    dialog = page.locator("[data-reject-dialog]")
    dialog.get_by_label("Another reason").check()
    dialog.get_by_role("button", name="Reject").click()
    expect(dialog.locator("[data-reject-error]")).to_be_visible()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert not Annotation.objects.exclude(status="pending").exists()


def test_after_rejecting_two_picked_items_the_cursor_is_on_the_next_undecided_one(
    open_as, reviewer_user, queue
):
    first, second, third, fourth = queue
    page = open_queue(open_as, reviewer_user)
    page.keyboard.press(" ")  # pick the first
    page.keyboard.press("j")
    page.keyboard.press(" ")  # and the second
    page.keyboard.press("r")
    page.locator("[data-reject-dialog]").get_by_role("button", name="Reject").click()
    expect(item(page, second).locator("[data-result]")).to_contain_text("Rejected")
    expect(item(page, third)).to_have_class(re.compile("current"))
    for done in (first, second):
        expect(item(page, done)).not_to_have_class(re.compile("current"))
        expect(item(page, done).locator("[data-pick]")).not_to_be_checked()
        expect(item(page, done).locator("[data-pick]")).to_be_disabled()
    page.keyboard.press("k")  # finished items are out of the walk
    expect(item(page, third)).to_have_class(re.compile("current"))
    page.keyboard.press("j")
    expect(item(page, fourth)).to_have_class(re.compile("current"))
    statuses = list(Annotation.objects.order_by("start").values_list("status", flat=True))
    assert statuses == ["rejected", "rejected", "pending", "pending"]


@pytest.mark.parametrize("role", ["annotator_user", "editor_user"])
def test_who_is_not_a_reviewer_is_offered_no_decision(request, open_as, queue, role):
    page = open_queue(open_as, request.getfixturevalue(role))
    expect(page.locator("[data-review-selected], [data-pick]")).to_have_count(0)
    page.keyboard.press("a")
    expect(page.locator("[data-announce-text]")).to_contain_text("Only reviewers")
    expect(page.locator(".review-item [data-result]:not(:empty)")).to_have_count(0)
    assert not Annotation.objects.exclude(status="pending").exists()
