"""How long mapping 5,000 spans through a copy-edit pass of a 200,000-character article takes.

    .venv/bin/python bench/bench_reanchor.py [--runs 5] [--seed 1]
    .venv/bin/python bench/bench_reanchor.py --database [--runs 3]    # the whole PATCH's service
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_reanchor.py --database

The article is the seed story repeated; the spans are whole words and phrases (1 to 12 words,
some nested in others); the copy-edit pass is one edit every ~1,000 characters, of the kinds an
editor makes: a typo fixed inside a word, a word inserted or deleted, a name's case fixed,
straight quotes made typographic, doubled spaces collapsed, a sentence deleted, a paragraph
moved. Prints the median of ``--runs`` runs of the diff and of the mapping, and the outcomes.
Without ``--database``: pure Python, the diff and the mapping alone. With it: the article and
its 5,000 annotations are stored (a throw-away SQLite file, or ``DATABASE_URL``) and the new
text goes through ``annotator.services.article_update``, the service the API's PATCH, the admin
and re-imports call: new revision, diff, mapping, the rows' UPDATEs and history, in one
transaction.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from annotator.edits import map_span_edits  # noqa: E402
from articles.textdiff import diff_texts  # noqa: E402

SEED = Path("/work/shared/seed/article-us-mexico-cartels.txt")
CHARS = 200_000
SPANS = 5_000


def seed_text() -> str:
    for path in (SEED, ROOT / "annotator" / "demo" / "article-us-mexico-cartels.txt"):
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
    raise SystemExit(f"seed article not found at {SEED}")


def long_article() -> str:
    story = seed_text()
    copies = CHARS // (len(story) + 1) + 1
    return "\n".join([story] * copies)[:CHARS].rsplit(" ", 1)[0]


def make_spans(text: str, rng: random.Random) -> list[tuple[int, int]]:
    words = [m.span() for m in re.finditer(r"\w+", text)]
    spans = set()
    while len(spans) < SPANS:
        i = rng.randrange(len(words))
        j = min(len(words) - 1, i + rng.choice([0, 0, 0, 1, 1, 2, 3, 5, 11]))
        spans.add((words[i][0], words[j][1]))
    return sorted(spans)


def copy_edit(text: str, rng: random.Random) -> str:
    """One edit about every 1,000 characters, applied from the end so offsets stay valid."""
    paragraphs = text.split("\n")
    # One paragraph moved: cut from near the start, pasted near the end.
    moved = paragraphs.pop(3)
    paragraphs.insert(len(paragraphs) - 5, moved)
    text = "\n".join(paragraphs)
    words = [m.span() for m in re.finditer(r"\w+", text)]
    chosen = sorted(rng.sample(range(1, len(words) - 1), len(text) // 1000), reverse=True)
    for n, k in enumerate(chosen):
        a, b = words[k]
        word = text[a:b]
        kind = n % 7
        if kind == 0 and len(word) > 3:  # typo fixed inside a word
            i = rng.randrange(1, len(word) - 1)
            text = text[:a] + word[:i] + word[i + 1] + word[i] + word[i + 2 :] + text[b:]
        elif kind == 1:  # a word inserted
            text = text[:b] + " reportedly" + text[b:]
        elif kind == 2:  # a word deleted
            text = text[:a] + text[b:].lstrip(" ")
        elif kind == 3:  # case fixed
            text = text[:a] + word.swapcase() + text[b:]
        elif kind == 4:  # doubled space collapsed (made first, then collapsed: net one space)
            text = text[:b] + "  " + text[b:].lstrip(" ")
        elif kind == 5:  # a sentence deleted
            end = text.find(". ", b)
            if 0 < end < b + 400:
                text = text[:a] + text[end + 2 :]
        else:  # a word rewritten
            text = text[:a] + "officials" + text[b:]
    return text.replace('"', "\u201c", 1).replace(' "', " \u201c")


def with_database(old: str, new: str, spans: list[tuple[int, int]], runs: int) -> None:
    import setup_django

    setup_django.start()
    from django.db import connection

    from annotator.services import annotations_bulk_create, article_create, article_update

    user = setup_django.make_user("bench-editor", "Editor")
    labels = ["person", "organization", "claim", "quote", "location"]
    walls, cpus = [], []
    for run in range(runs):
        # Each run its own article: the same text twice would be the same article.
        head = f"Run {run}.\n"
        article, _ = article_create(user=user, title=f"Long {run}", text=head + old)
        items = [
            {"label": labels[i % len(labels)], "start": s + len(head), "end": e + len(head)}
            for i, (s, e) in enumerate(spans)
        ]
        annotations_bulk_create(article=article, author=user, items=items)
        t0, c0 = time.perf_counter(), time.process_time()
        article = article_update(article=article, user=user, changes={"text": head + new})
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        summary = article.current_revision.anchoring
    print(f"database: {connection.vendor}; {len(spans):,} annotations; runs: {runs}")
    for name, times in (("wall", walls), ("CPU", cpus)):
        runs_text = ", ".join(f"{t * 1000:.0f}" for t in times)
        print(
            f"article_update {name}: median {statistics.median(times) * 1000:.0f} ms  (runs: {runs_text})"
        )
    print("summary:", summary)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    old = long_article()
    spans = make_spans(old, rng)
    new = copy_edit(old, rng)
    if args.database:
        with_database(old, new, spans, args.runs)
        return
    # CPU time of this process: the machine is shared, and wall time there measures the others.
    diff_times, map_times = [], []
    for _ in range(args.runs):
        t0 = time.process_time()
        diff = diff_texts(old, new)
        t1 = time.process_time()
        results = map_span_edits(old, new, spans, diff=diff)
        t2 = time.process_time()
        diff_times.append(t1 - t0)
        map_times.append(t2 - t1)
    outcomes = Counter(r.outcome.value for r in results)
    print(f"text: {len(old):,} -> {len(new):,} characters; {len(spans):,} spans")
    print(f"gaps: {len(diff.gaps):,}; moves: {len(diff.moves)}; complete: {diff.complete}")
    print("CPU time, median of the runs:")
    for name, times in (("diff", diff_times), ("mapping", map_times)):
        runs = ", ".join(f"{t * 1000:.0f}" for t in times)
        print(f"{name + ':':9}median {statistics.median(times) * 1000:.0f} ms  (runs: {runs})")
    print("outcomes:", dict(sorted(outcomes.items())))


if __name__ == "__main__":
    main()
