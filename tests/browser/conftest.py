"""Real Chromium (Debian's package) driven by Playwright against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.conftest import PASSWORD

# CI runs on a busy 2-core machine beside the other tests: an assertion waits for the page as
# long as a page action may (rendering a thousand highlights there can take seconds). It still
# fails when the page never gets there.
expect.set_options(timeout=10_000)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip

# Selects the first occurrence of `words` in the article text (after `after`, if given), the
# way a person's drag would: a DOM Range over the rendered text nodes.
SELECT_JS = """([words, after]) => {
  const root = document.querySelector('[data-article-text]');
  const full = root.textContent;
  const from = after ? full.indexOf(after) : 0;
  const start = full.indexOf(words, from);
  if (start < 0) throw new Error('not in text: ' + words);
  const end = start + words.length;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0, range = document.createRange(), node;
  while ((node = walker.nextNode())) {
    const len = node.data.length;
    if (seen <= start && start <= seen + len) range.setStart(node, start - seen);
    if (seen <= end && end <= seen + len) { range.setEnd(node, end - seen); break; }
    seen += len;
  }
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  const r = range.getBoundingClientRect();
  return {x: r.x, y: r.y, width: r.width, height: r.height};
}"""


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def default_labels(transactional_db):
    # The live server needs committed data, so these tests flush tables between them, and the
    # flush takes the migration's default labels along; put them back.
    from django.contrib.auth.models import Group

    from annotator.defaults import create_defaults
    from annotator.models import Label

    create_defaults(Label, Group)


PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def open_as(browser, live_server, settings):
    # The page's automatic poll is off: a test that wants the page to see a colleague's change
    # calls poll() below, so what the page knows never depends on timing.
    settings.ANNOTATION_POLL_MS = 0
    contexts = []

    def login(user, path="/", **context_options):
        context = browser.new_context(
            **({"viewport": {"width": 1400, "height": 1000}} | context_options)
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}{path}")
        if path.startswith("/articles/") and path != "/articles/new/":
            page.wait_for_selector("[data-article-text][data-ready=true]")
        return page

    yield login
    for context in contexts:
        context.close()


def select_words(page, words, after=None):
    return page.evaluate(SELECT_JS, [words, after])


def poll(page):
    """Let the annotation page ask the server for changes now, and wait until it applied them."""
    page.evaluate("window.newsdeskPage.poll()")


# axe-core comes from the npm registry through package.json (make test runs npm ci).
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2 A/AA violations axe-core finds on the page as it is."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` installs it (npm ci).")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated by the browser's devtools protocol, which the page's Content-Security-Policy
        # does not govern (an injected <script> would be refused: the pages allow no inline
        # script). axe-core's bundle sets window.axe.
        page.evaluate("(source) => { (0, eval)(source); }", AXE.read_text())
    result = page.evaluate(
        """async () => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
          return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }"""
    )
    return result
