"""axe-core (from the npm registry, package.json) on every page: no serious or critical
violation of WCAG 2 A/AA or axe's best practices."""

import pytest
from playwright.sync_api import expect

from annotator.models import Entity
from articles.models import Article
from tests.conftest import tag

from .conftest import PHONE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tagged(article, annotator_user):
    speaker = Entity.objects.create(name="Claudia Sheinbaum", type="person")
    tag(article, annotator_user, "claim", "Café 👩‍👩‍👧 opened")
    tag(article, annotator_user, "quote", "Ça va très bien", {"speaker": speaker.pk})
    tag(article, annotator_user, "person", "Claudia Sheinbaum", {"entity": speaker.pk})
    tag(article, annotator_user, "organization", "Ciudad")
    tag(article, annotator_user, "event", "habló")
    tag(article, annotator_user, "location", "Ciudad de México", origin="machine")  # a suggestion
    return speaker


def assert_clean(page, where):
    found = axe_violations(page)
    assert found == [], f"{where}: {found}"


def test_login_page(browser, live_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert_clean(page, "login")
    context.close()


@pytest.mark.parametrize("role", ["annotator_user", "editor_user", "reviewer_user"])
def test_the_annotation_page_for_each_role(request, open_as, article, tagged, role):
    user = request.getfixturevalue(role)
    page = open_as(user, f"/articles/{article.pk}/")
    assert_clean(page, f"annotate as {role}")
    page.locator("[data-panel-list] .panel-item").first.click()
    expect(page.locator("[data-editor]")).to_be_visible()
    assert_clean(page, f"annotate with the editor open, as {role}")
    page.keyboard.press("?")
    assert_clean(page, f"keys dialog, as {role}")


def test_the_annotation_page_on_a_phone(open_as, editor_user, article, tagged):
    page = open_as(editor_user, f"/articles/{article.pk}/", **PHONE)
    assert_clean(page, "annotate on a phone")


def test_the_filtered_and_announced_annotation_page(open_as, editor_user, article, tagged):
    page = open_as(editor_user, f"/articles/{article.pk}/")
    page.select_option("[data-filter-status]", "suggested")
    page.locator("[data-panel-list] .panel-item:visible").first.click()
    page.focus("[data-article-text]")
    page.keyboard.press("a")
    expect(page.locator("[data-announce-text]")).to_contain_text("Accepted")
    assert_clean(page, "annotate, filtered, with a message")


def test_the_annotation_page_with_a_revision_notice(open_as, api_as, editor_user, article, tagged):
    text = Article.objects.get(pk=article.pk).text.replace("Ciudad de México", "la capital")
    api_as(editor_user).patch(f"/api/articles/{article.pk}/", {"text": text}, format="json")
    page = open_as(editor_user, f"/articles/{article.pk}/")
    expect(page.locator("[data-revision-notice]")).to_be_visible()
    assert_clean(page, "annotate with a revision notice")
    page.get_by_role("button", name="Next orphaned tag").click()
    expect(page.locator("[data-editor]")).to_be_visible()
    assert_clean(page, "annotate with an orphan stepped to")


@pytest.mark.parametrize(
    "path",
    ["/", "/articles/new/", "/review/", "/review/stats/", "/quotes/", "/claims/", "/entities/"],
)
def test_list_and_form_pages(open_as, editor_user, reviewer_user, article, tagged, path):
    page = open_as(reviewer_user if path.startswith("/review") else editor_user, path)
    assert_clean(page, path)


def test_the_entity_page(open_as, editor_user, article, tagged):
    page = open_as(editor_user, f"/entities/{tagged.pk}/")
    assert_clean(page, "entity")


def test_the_review_queue_with_the_reject_form_open(open_as, reviewer_user, article, tagged):
    page = open_as(reviewer_user, "/review/")
    page.wait_for_selector("[data-review-list][data-ready=true]")
    page.keyboard.press("r")
    expect(page.locator("[data-reject-dialog]")).to_be_visible()
    assert_clean(page, "review queue, reject form")
