"""Writes at database speed: import a long article with its spans, give it a new text, add
one span — through the API, in-process (Django's test client, no HTTP), on a throw-away
database (SQLite file, or DATABASE_URL).

    .venv/bin/python bench/bench_writes.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/bench_writes.py

The peer benchmark (../shared/peers, our server beside Label Studio over HTTP) is the figure
that counts for the ratios; this one shows where the time goes without the network.
"""

import random
import re
import statistics
import time

from setup_django import long_text, make_user, start

REPEAT = 5
SPANS = 5000


def word_spans(text: str, count: int, seed: int = 7) -> list[dict]:
    """``count`` word-aligned, non-overlapping spans of 1-4 words, spread over the text."""
    words = [m.span() for m in re.finditer(r"\S+", text)]
    rng = random.Random(seed)
    step = len(words) // count
    spans = []
    for i in range(count):
        first = i * step
        last = min(first + rng.randint(0, 3), first + step - 1)
        spans.append(
            {
                "label": ("claim", "quote", "person")[i % 3],
                "start": words[first][0],
                "end": words[last][1],
            }
        )
    return spans


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms (min {min(samples) * 1000:.1f})"


def main() -> None:
    start()
    from django.db import connection
    from django.test import Client

    editor = make_user("bench-editor", "Editor")
    client = Client()
    client.force_login(editor)
    client.get("/api/labels/")
    base = long_text(200_000)
    spans = word_spans(base, SPANS)
    print(f"{connection.vendor}: {len(base):,} characters, {len(spans):,} spans")

    imports, creates, bulks, ids = [], [], [], []
    for rep in range(REPEAT + 1):
        text = f"{base}\n\nrun {rep}"
        begin = time.perf_counter()
        article = client.post(
            "/api/articles/",
            {"title": f"Long {rep}", "text": text},
            content_type="application/json",
        )
        assert article.status_code == 201, article.content
        middle = time.perf_counter()
        items = [{**span, "article": article.json()["id"]} for span in spans]
        bulk = client.post("/api/annotations/bulk/", items, content_type="application/json")
        assert bulk.status_code == 201, bulk.content[:500]
        end = time.perf_counter()
        if rep:  # the first round warms up
            imports.append(end - begin)
            creates.append(middle - begin)
            bulks.append(end - middle)
        ids.append(article.json()["id"])
    print(f"  import (create + bulk): {median_ms(imports)}")
    print(f"    article create: {median_ms(creates)}; bulk of {SPANS:,}: {median_ms(bulks)}")

    edits = []
    for rep, pk in enumerate(ids[1:]):
        new_text = "Corrección: " + f"{base}\n\nrun {rep + 1}".replace("INEGI", "Inegi", 40)
        begin = time.perf_counter()
        response = client.patch(
            f"/api/articles/{pk}/", {"text": new_text}, content_type="application/json"
        )
        edits.append(time.perf_counter() - begin)
        assert response.status_code == 200, response.content[:300]
    print(f"  new text, {SPANS:,} spans re-anchored: {median_ms(edits)}")

    singles = []
    target = ids[-1]
    text = client.get(f"/api/articles/{target}/").json()["text"]
    for i in range(60):
        begin_at = text.index("economía", 1000 * i)
        body = {"article": target, "label": "claim", "start": begin_at, "end": begin_at + 8}
        begin = time.perf_counter()
        response = client.post("/api/annotations/", body, content_type="application/json")
        singles.append(time.perf_counter() - begin)
        assert response.status_code == 201, response.content
    print(f"  one span through the API (on {SPANS:,}): {median_ms(singles[10:])}")

    exports, opens = [], []
    for _ in range(REPEAT):
        begin = time.perf_counter()
        response = client.get("/api/export/jsonl/", {"article": target})
        b"".join(response.streaming_content)
        exports.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        client.get(f"/api/articles/{target}/", {"expand": "annotations"})
        opens.append(time.perf_counter() - begin)
    print(f"  export jsonl (warm after the first): {median_ms(exports)}")
    print(f"  open (?expand=annotations): {median_ms(opens)}")


if __name__ == "__main__":
    main()
