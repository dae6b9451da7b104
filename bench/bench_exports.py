"""Export benchmark: 100,000 annotations over 1,000 articles, each format; plus the list page
and one 200,000-character article with 5,000 annotations.

    .venv/bin/python bench/bench_exports.py            # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_exports.py

Memory is the peak of Python allocations (tracemalloc) while one export streams.
"""

import statistics
import time
import tracemalloc

from setup_django import fill_article, long_text, make_user, start

ARTICLES = 1000
PER_ARTICLE = 100


def timed(fn, repeat: int = 1):
    times = []
    result = None
    for _ in range(repeat):
        begin = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - begin)
    return statistics.median(times), result


def main() -> None:
    start()
    from django.test import Client

    from annotator.models import Annotation
    from articles.services import article_create

    editor = make_user("bench-editor", "Editor")
    print(f"loading {ARTICLES} articles x {PER_ARTICLE} annotations ...", flush=True)
    for i in range(ARTICLES):
        article, _ = article_create(
            user=editor, title=f"Article {i}", text=long_text(3000) + f" (n.º {i})"
        )
        fill_article(article, editor, PER_ARTICLE)
    total = Annotation.objects.count()
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # what autovacuum does after a bulk load
    client = Client()
    client.force_login(editor)
    client.get("/api/labels/")

    print(f"\n{total:,} annotations over {ARTICLES:,} articles")
    print(f"{'format':<12} {'seconds':>8} {'annotations/s':>14} {'peak MB':>8} {'bytes':>12}")
    for fmt in ["jsonl", "csv", "w3c", "conll", "brat", "claimreview"]:

        def run(fmt=fmt):
            response = client.get(f"/api/export/{fmt}/")
            return sum(len(chunk) for chunk in response.streaming_content)

        timed(run)  # warm
        tracemalloc.start()
        seconds, size = timed(run)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        seconds, size = timed(run, repeat=3)
        print(f"{fmt:<12} {seconds:8.3f} {total / seconds:14,.0f} {peak / 1e6:8.1f} {size:12,}")

    page_time, response = timed(
        lambda: client.get("/api/annotations/", {"page_size": 100}), repeat=20
    )
    assert len(response.json()["results"]) == 100
    print(f"\nannotation list, 100 items: {page_time * 1000:.1f} ms (median of 20)")

    big, _ = article_create(user=editor, title="Long investigation", text=long_text(200_000))
    fill_article(big, editor, 5000)
    for fmt in ["jsonl", "csv", "w3c"]:
        seconds, _ = timed(
            lambda fmt=fmt: b"".join(
                client.get(f"/api/export/{fmt}/", {"article": big.pk}).streaming_content
            ),
            repeat=10,
        )
        print(
            f"one 200,000-character article with 5,000 annotations, {fmt}: {seconds * 1000:.1f} ms (median of 10)"
        )


if __name__ == "__main__":
    main()
