"""Annotation page benchmark: one 200,000-character article with 5,000 annotations.

    .venv/bin/python bench/bench_page.py

Server side (in-process Django test client, median of 20): the article with its annotations
from the API, the page's HTML, and saving a new tag. Browser side (Debian's Chromium through
Playwright, against a real runserver): navigation start until every highlight is on screen,
and key press until the new tag's highlight is on screen.
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
            loads, keys = [], []
            for _ in range(5):
                page.goto(f"{base}/articles/{article.pk}/")
                page.wait_for_selector("[data-article-text][data-ready=true]")
                loads.append(
                    page.evaluate("performance.getEntriesByName('newsdesk:painted')[0].startTime")
                )
            for i in range(5):
                # Select a word far down the article, press the event key, and time until its
                # highlight exists in the DOM and has been laid out.
                page.evaluate(
                    """(n) => {
                      const root = document.querySelector('[data-article-text]');
                      const paras = [...root.children].filter((p) => p.textContent.length > 20);
                      const walker = document.createTreeWalker(paras[100 + n * 5], NodeFilter.SHOW_TEXT);
                      let node = walker.nextNode();
                      while (node.data.length < 6) node = walker.nextNode();
                      const range = document.createRange();
                      range.setStart(node, 1); range.setEnd(node, 5);
                      getSelection().removeAllRanges(); getSelection().addRange(range);
                      window.__marks = root.querySelectorAll('mark').length;
                      window.__t0 = null;
                      document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, {once: true, capture: true});
                    }""",
                    i,
                )
                page.keyboard.press("e")
                page.wait_for_function(
                    "document.querySelectorAll('[data-article-text] mark').length > window.__marks"
                )
                keys.append(
                    page.evaluate(
                        "new Promise(r => requestAnimationFrame(() => r(performance.now() - window.__t0)))"
                    )
                )
            browser.close()
        print(f"browser: highlights on screen {statistics.median(loads):.0f} ms after navigation start (median of 5); "
              f"key press to highlight {statistics.median(keys):.1f} ms (median of 5)")  # fmt: skip


if __name__ == "__main__":
    main()
