"""Annotation page benchmark: one 200,000-character article with 5,000 annotations.

    .venv/bin/python bench/bench_page.py

Server side (in-process Django test client, median of 20): the article with its annotations
from the API, the page's HTML, and saving a new tag. Browser side (Debian's Chromium through
Playwright, against a real runserver): navigation start until the highlights are painted and
until highlights and side panel are ready (the page's performance marks), j/k to the next frame,
a filter toggle to the next frame, and a key press until the new tag's highlight is on screen.
"""

import statistics
import time

from live_server import CHROMIUM_ARGS, running_server
from setup_django import fill_article, long_text, make_user, start


def median_ms(fn, repeat=20) -> float:
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        fn()
        times.append(time.perf_counter() - begin)
    return statistics.median(times) * 1000


def main() -> None:
    start()
    from django.test import Client

    from annotator.models import Annotation
    from articles.services import article_create

    editor = make_user("bench-editor", "Editor")
    article, _ = article_create(user=editor, title="Long investigation", text=long_text(200_000))
    fill_article(article, editor, 5000)
    client = Client()
    client.force_login(editor)
    client.get("/api/labels/")
    print(
        f"article: {len(article.text):,} characters, {Annotation.objects.filter(article=article).count():,} annotations"
    )
    api_ms = median_ms(
        lambda: client.get(f"/api/articles/{article.pk}/", {"expand": "annotations"})
    )
    html_ms = median_ms(lambda: client.get(f"/articles/{article.pk}/"))
    offsets = iter(range(100, 100 + 20 * 50, 50))

    def save():
        s = next(offsets)
        response = client.post(
            "/api/annotations/",
            {"article": article.pk, "label": "event", "start": s, "end": s + 5},
            content_type="application/json",
        )
        assert response.status_code == 201, response.content

    save_ms = median_ms(save)
    print(
        f"server: article + 5,000 annotations from the API {api_ms:.1f} ms; page HTML {html_ms:.1f} ms; save a new tag {save_ms:.1f} ms"
    )

    with running_server() as base:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", "bench-editor")
            page.fill("input[name=password]", "bench-pass-1")
            page.click("button[type=submit]")
            painted, ready, parts = [], [], []
            for _ in range(5):
                page.goto(f"{base}/articles/{article.pk}/")
                page.wait_for_selector("[data-article-text][data-ready=true]")
                painted.append(mark_ms(page, "newsdesk:painted"))
                ready.append(mark_ms(page, "newsdesk:ready"))
                parts.append([mark_ms(page, f"newsdesk:{m}") for m in MARKS])
            steps = [after_key(page, "j" if i % 4 != 3 else "k") for i in range(24)]
            toggles = [after_click(page, "[data-filter-kind=entity]") for _ in range(10)]
            keys = []
            for i in range(5):
                # Select a word far down the article, press the event key, and time until its
                # highlight exists in the DOM and has been laid out.
                page.evaluate(SELECT_FAR_JS, i)
                page.keyboard.press("e")
                page.wait_for_function(
                    "document.querySelectorAll('[data-article-text] mark').length > window.__marks"
                )
                keys.append(page.evaluate(NEXT_FRAME_JS))
                page.keyboard.press("Escape")
            browser.close()
        print(f"browser (median): text and highlights painted {statistics.median(painted):.0f} ms, "
              f"highlights and panel ready {statistics.median(ready):.0f} ms after navigation start (of 5 loads; "
              f"slowest {max(ready):.0f} ms)")  # fmt: skip
        print("  where the load goes (median ms from navigation start): " + ", ".join(
            f"{m} {statistics.median(p[i] for p in parts):.0f}" for i, m in enumerate(MARKS)))  # fmt: skip
        print(f"browser (median): j/k {statistics.median(steps):.1f} ms (of 24; slowest {max(steps):.1f} ms); "
              f"Entities filter toggle {statistics.median(toggles):.1f} ms (of 10; slowest {max(toggles):.1f} ms); "
              f"key press to a new tag's highlight {statistics.median(keys):.1f} ms (of 5)")  # fmt: skip


MARKS = ["feed", "indexed", "text", "painted", "panel", "ready"]


def mark_ms(page, name: str) -> float:
    return page.evaluate(f"performance.getEntriesByName('{name}')[0].startTime")


# From the key's keydown (or the click) to the start of the frame after the one that shows the
# page's answer (two animation frames): the time a person waits to see it.
ARM_JS = """(type) => {
  window.__t0 = null;
  document.addEventListener(type, () => { window.__t0 = performance.now(); }, {once: true, capture: true});
}"""
NEXT_FRAME_JS = """new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - window.__t0))))"""


def after_key(page, key: str) -> float:
    page.evaluate(ARM_JS, "keydown")
    page.keyboard.press(key)
    return page.evaluate(NEXT_FRAME_JS)


def after_click(page, selector: str) -> float:
    page.evaluate(ARM_JS, "click")
    page.click(selector)
    return page.evaluate(NEXT_FRAME_JS)


SELECT_FAR_JS = """(n) => {
  const root = document.querySelector('[data-article-text]');
  const paras = [...root.children].filter((p) => p.textContent.length > 20);
  const para = paras[100 + n * 5];
  para.scrollIntoView({block: 'center'});
  const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node.data.length < 6) node = walker.nextNode();
  const range = document.createRange();
  range.setStart(node, 1); range.setEnd(node, 5);
  getSelection().removeAllRanges(); getSelection().addRange(range);
  window.__marks = root.querySelectorAll('mark').length;
  window.__t0 = null;
  document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {once: true, capture: true});
}"""


if __name__ == "__main__":
    main()
