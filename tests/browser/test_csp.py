"""The admin, the API docs and the pages work under the Content-Security-Policy: Chromium
reports no violation and each page does what it is for."""

import pytest

from tests.conftest import PASSWORD, tag

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
});
"""


@pytest.fixture
def watched(browser, live_server):
    """Log in as ``user`` in a fresh context that records CSP violations and console errors."""
    contexts = []

    def login(user):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        contexts.append(context)
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.console_errors = []
        page.on(
            "console",
            lambda message: message.type == "error" and page.console_errors.append(message.text),
        )
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield login
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    csp_console = [text for text in page.console_errors if "Content Security Policy" in text]
    return page.evaluate("window.__cspViolations") + csp_console


def test_api_docs_render_the_operations_under_the_policy(watched, live_server, editor_user):
    page = watched(editor_user)
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    assert page.locator(".opblock").count() > 20
    assert violations(page) == []


def test_admin_works_under_the_policy(watched, live_server, superuser, editor_user, article):
    page = watched(superuser)
    page.goto(f"{live_server.url}/admin/")
    assert page.locator("#site-name").is_visible()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.wait_for_selector("input[name=title]")
    # The admin's own scripts ran: the date shortcuts are drawn by DateTimeShortcuts.js.
    page.goto(f"{live_server.url}/admin/auth/user/{editor_user.pk}/change/")
    page.wait_for_selector(".datetimeshortcuts")
    page.goto(f"{live_server.url}/admin/articles/article/")
    page.wait_for_selector("#result_list")
    assert violations(page) == []


def test_annotation_page_runs_under_the_policy(watched, live_server, editor_user, article):
    tag(article, editor_user, "person", "Claudia Sheinbaum")
    page = watched(editor_user)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.wait_for_selector("[data-article-text][data-ready=true]")
    assert page.locator("[data-annotation-id]").count() == 1
    assert violations(page) == []
