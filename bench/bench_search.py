"""Search benchmark: full-text search over 100,000 articles (and their annotations).

    createdb -h 127.0.0.1 -U postgres bench_search        # once; dropdb after
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_search .venv/bin/python bench/bench_search.py
    .venv/bin/python bench/bench_search.py --articles 20000     # SQLite (a temporary file)

Articles are about 250 words drawn from a Zipf-distributed vocabulary of 30,000 made-up words,
with marker words planted at known rates: `sheinbaum` in 0.05 % of articles, a form of
`designate` in 1 %, `cartel(s)` in 5 %, `tariffs` in 30 % (the worst case: ranking reads every
match). They are loaded in bulk: the triggers index them as any write would. Each query is the
selector's first page (50, ranked) plus its count, and the whole API call; median of 15 runs,
after one warm-up. The PostgreSQL plans are printed with EXPLAIN (ANALYZE, BUFFERS).
"""

import argparse
import itertools
import random
import statistics
import time

from setup_django import make_user, start

SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "gu", "lan", "sor", "mek",
             "tin", "bra", "vel", "dor", "pes", "ul", "ian", "ost"]  # fmt: skip
MARKERS = [
    ("sheinbaum", 0.0005, ["Sheinbaum"]),
    ("designate", 0.01, ["designated", "designating", "designation", "designates"]),
    ("cartel", 0.05, ["cartel", "cartels"]),
    ("tariff", 0.30, ["tariffs"]),
]
QUERIES = ["sheinbaum", "designating cartels", "cartel", "tariff", "tariffs designated"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def texts(count: int, rng: random.Random):
    vocab = vocabulary(30_000, rng)
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(vocab))))
    for _ in range(count):
        words = rng.choices(vocab, cum_weights=weights, k=rng.randint(150, 350))
        for _, rate, forms in MARKERS:
            if rng.random() < rate:
                words.insert(rng.randrange(len(words)), rng.choice(forms))
        sentences = [
            " ".join(words[j : j + 15]).capitalize() + "." for j in range(0, len(words), 15)
        ]
        title = " ".join(rng.choices(vocab, cum_weights=weights, k=6)).capitalize()
        yield title, " ".join(sentences)


def load(count: int, editor) -> None:
    from django.db import connection, transaction

    from articles.models import Article, ArticleRevision
    from articles.services import text_sha256

    rng = random.Random(16)
    began = time.perf_counter()
    batch = 5000
    generated = texts(count, rng)
    for offset in range(0, count, batch):
        rows = [next(generated) for _ in range(min(batch, count - offset))]
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                [
                    Article(title=t, language="en", created_by=editor, updated_by=editor)
                    for t, _ in rows
                ]
            )
            revisions = ArticleRevision.objects.bulk_create(
                [
                    ArticleRevision(
                        article=a, number=1, text=text, sha256=text_sha256(text), created_by=editor
                    )
                    for a, (_, text) in zip(articles, rows, strict=True)
                ]
            )
            for article, revision in zip(articles, revisions, strict=True):
                article.current_revision = revision
            # One UPDATE per batch; the update trigger indexes each article with its text.
            Article.objects.bulk_update(articles, ["current_revision"], batch_size=1000)
        print(f"  {offset + len(rows):,} articles, {time.perf_counter() - began:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def timed(fn, repeat: int = 15) -> float:
    fn()
    times = []
    for _ in range(repeat):
        begin = time.perf_counter()
        fn()
        times.append(time.perf_counter() - begin)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--reuse", action="store_true", help="Query the articles a run before loaded."
    )
    options = parser.parse_args()
    start()
    from django.db import connection
    from django.test import Client

    from articles.models import Article
    from articles.search.selectors import search_articles

    editor = make_user("bench-editor", "Editor")
    if not (options.reuse and Article.objects.exists()):
        print(f"loading {options.articles:,} articles ({connection.vendor}) ...", flush=True)
        load(options.articles, editor)
    print(f"{Article.objects.count():,} articles ({connection.vendor})")
    client = Client()
    client.force_login(editor)
    base = Article.objects.visible_to(editor)

    print("\n| query | matches | first page + count | API call (`/api/articles/?q=`) |")
    print("|---|---|---|---|")
    for q in QUERIES:
        found = search_articles(base, q)

        def page(found=found):
            found.count()
            list(found.values_list("id", "search_rank")[:50])

        def api(q=q):
            assert client.get("/api/articles/", {"q": q, "page_size": 50}).status_code == 200

        print(
            f"| `{q}` | {found.count():,} | {timed(page):.1f} ms | {timed(api):.1f} ms |",
            flush=True,
        )

    if connection.vendor == "postgresql":
        for q in ("designating cartels", "tariff"):
            found = search_articles(base, q).values_list("id", "search_rank")[:50]
            sql, params = found.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                print(f"\nplan for `{q}`:\n" + "\n".join(row[0] for row in cursor.fetchall()))
            count_sql, count_params = (
                search_articles(base, q, ranked=False).values("pk").query.sql_with_params()
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"EXPLAIN (ANALYZE) SELECT count(*) FROM ({count_sql}) t", count_params
                )
                print(f"\ncount for `{q}`:\n" + "\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
