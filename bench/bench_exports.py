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
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does after a bulk load
    client = Client()
    client.force_login(editor)
    client.get("/api/labels/")

    from django.core.cache import caches

    def cold():
        """Nothing assembled yet, as after each article's annotations changed."""
        caches["annotations"].clear()

    def consume(fmt, **params):
        response = client.get(f"/api/export/{fmt}/", params)
        assert response.status_code == 200
        return sum(len(chunk) for chunk in response.streaming_content)

    def measure(fmt, before=None, repeat=3, **params):
        """Median seconds of ``repeat`` runs (``before`` run ahead of each, untimed) and the
        peak of Python allocations during one more."""
        times = []
        for _ in range(repeat):
            if before:
                before()
            begin = time.perf_counter()
            size = consume(fmt, **params)
            times.append(time.perf_counter() - begin)
        if before:
            before()
        tracemalloc.start()
        consume(fmt, **params)
        kept, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        # ``kept``: what stays allocated after the export (entries it added to the in-process
        # cache); ``peak - kept``: the export's own working memory, which must stay flat.
        return statistics.median(times), (peak - kept, kept), size

    print(f"\n{total:,} annotations over {ARTICLES:,} articles")
    print("cold: nothing cached, every article assembled from its rows (and cached);")
    print("warm: served from the cache; filtered: ?created_after=2000-01-01, which matches")
    print("      everything but, being a filter, assembles from the rows every time")
    print("working MB: the export's own peak; cached MB: what it left in the in-process cache")
    header = f"{'format':<12} {'run':<9} {'seconds':>8} {'annotations/s':>14} {'working MB':>10} {'cached MB':>9} {'bytes':>12}"
    print(header)
    for fmt in ["jsonl", "csv", "w3c", "conll", "brat", "claimreview"]:
        runs = {
            "cold": measure(fmt, before=cold),
            "warm": measure(fmt),
            "filtered": measure(fmt, created_after="2000-01-01T00:00:00Z"),
        }
        for run, (seconds, (working, kept), size) in runs.items():
            print(
                f"{fmt:<12} {run:<9} {seconds:8.3f} {total / seconds:14,.0f} "
                f"{working / 1e6:10.1f} {kept / 1e6:9.1f} {size:12,}"
            )

    print()
    for label, params in [
        ("annotation list, 100 items", {}),
        ("annotation list, 100 items, page 500", {"page": 500}),
        ("annotation list, 100 items, ?status=approved", {"status": "approved"}),
        ("annotation list, 100 items, ?label=claim", {"label": "claim"}),
    ]:
        page_time, response = timed(
            lambda params=params: client.get("/api/annotations/", {"page_size": 100, **params}),
            repeat=20,
        )
        assert len(response.json()["results"]) == 100
        print(f"{label}: {page_time * 1000:.1f} ms (median of 20)")

    big, _ = article_create(user=editor, title="Long investigation", text=long_text(200_000))
    fill_article(big, editor, 5000)
    print("\none 200,000-character article with 5,000 annotations (median of 20):")
    for fmt in ["jsonl", "csv", "w3c"]:
        cold_s, _, _ = measure(fmt, before=cold, repeat=20, article=big.pk)
        warm_s, _, _ = measure(fmt, repeat=20, article=big.pk)
        print(f"  {fmt}: cold {cold_s * 1000:.1f} ms, warm {warm_s * 1000:.1f} ms")
    feed_s, _ = timed(
        lambda: client.get(f"/api/articles/{big.pk}/", {"expand": "annotations"}), repeat=20
    )
    print(
        f"  the article with its annotations from the API (?expand=annotations): {feed_s * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
