"""Suggestion benchmark: quality on real third-party news and speed on a long article.

    .venv/bin/python bench/bench_suggest.py            # quality (through the app) and speed
    .venv/bin/python bench/bench_suggest.py --speed    # speed only
    .venv/bin/python bench/bench_suggest.py --quality  # quality only

Quality: starts the app on a throw-away database and a free port, loads the demo users, and runs
../shared/eval/eval_suggest.py against it (every text posted as an article, then
POST /api/articles/{id}/suggest/), then scores the dumped predictions again per suggester (the
`suggester` each suggestion carries). The texts are read from ../shared/eval at run time and
never copied here.

Speed: one article of 200,000 characters of news (the evaluation's texts joined, read at run
time, or the Spanish stand-in when they are absent), run_suggesters through the service layer,
first (the model loads) and again on a fresh copy (the model loaded), with the time each
suggester takes.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import setup_django

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
PASSWORD = "bench-pass-1"


def quality() -> None:
    from live_server import running_server

    folder = tempfile.mkdtemp(prefix="newsdesk-suggest-")
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{folder}/app.sqlite3"),
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "load_demo", "--password", PASSWORD], env=env, check=True,
                   capture_output=True)  # fmt: skip
    dump = Path(folder) / "predictions.json"
    with running_server(env) as base:
        started = time.perf_counter()
        run = subprocess.run(
            [sys.executable, str(EVAL / "eval_suggest.py"), "--base", base, "--user", "editor",
             "--dump", str(dump), "--name", "newsdesk"],
            env={**env, "ND_PASSWORD": PASSWORD}, capture_output=True, text=True, check=True,
        )  # fmt: skip
        took = time.perf_counter() - started
    print(run.stdout)
    print(f"(through the app: {took:.0f} s for every text)\n")
    by_suggester = defaultdict(dict)
    predictions = json.loads(dump.read_text(encoding="utf-8"))
    for doc, rows in predictions.items():
        for row in rows:
            name = (row.get("attributes") or {}).get("suggester", "?")
            by_suggester[name].setdefault(doc, []).append(row)
    for name, preds in sorted(by_suggester.items()):
        for doc in predictions:
            preds.setdefault(doc, [])
        path = Path(folder) / f"{name.replace(':', '_')}.json"
        path.write_text(json.dumps(preds), encoding="utf-8")
        scored = subprocess.run(
            [sys.executable, str(EVAL / "eval_suggest.py"), "--predictions", str(path),
             "--name", name],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        print(next(line for line in scored.stdout.splitlines() if line.startswith("SUMMARY")))


def long_news(chars: int) -> str:
    gold = EVAL / "dev_gold.json"
    if not gold.exists():
        return setup_django.long_text(chars)
    docs = json.loads(gold.read_text(encoding="utf-8"))["quotes"]
    text, i = "", 0
    while len(text) < chars:
        text += docs[i % len(docs)]["text"] + "\n\n"
        i += 1
    return text[:chars].rstrip()


def speed() -> None:
    setup_django.start()
    from annotator import suggest
    from annotator.models import Annotation
    from annotator.suggest.context import Context
    from annotator.suggest.desk import Desk
    from annotator.suggest.store import save_suggestions
    from articles.services import article_create

    editor = setup_django.make_user("editor", "Editor")
    text = long_news(200_000)
    print(f"one article of {len(text):,} characters")
    for attempt in ("first run (the model loads)", "again, a fresh copy (model loaded)"):
        article, _ = article_create(user=editor, title=f"Long {attempt}", text=text + attempt)
        with timed() as took:
            made = suggest.run_suggesters(article=article, user=editor)
        counts = defaultdict(int)
        for kind in Annotation.objects.filter(pk__in=made).values_list("label__kind", flat=True):
            counts[kind] += 1
        print(f"  {attempt}: {took}, {len(made)} suggestions {dict(counts)}")
    with timed() as took:
        assert suggest.run_suggesters(article=article, user=editor) == []
    print(f"  run again on the same article (adds nothing): {took}")
    context = Context(text=text + "!", desk=Desk.for_article(article))
    with timed() as took:
        context.mentions  # noqa: B018  (the model's pass, shared by the suggesters)
    print(f"  spaCy pass (tok2vec + ner): {took}")
    for module in suggest.suggesters():
        with timed() as took:
            found = list(module.suggest(context))
        context.found.extend(found)
        print(f"  {module.NAME}: {took}, {len(found)} proposed")
    fresh, _ = article_create(user=editor, title="Long, stored only", text=text + " stored")
    with timed() as took:
        save_suggestions(
            article=fresh,
            user=editor,
            suggestions=context.found,
            existing=[],
            kinds=context.desk.label_kinds,
        )
    print(f"  storing {len(context.found)} suggestions (bulk create, history, relations): {took}")
    print(f"  ({Annotation.objects.filter(origin='machine').count()} machine annotations stored)")


class timed:
    """Wall-clock and CPU seconds of a block: on a shared machine the CPU time is the figure
    that does not depend on what else runs."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def __str__(self) -> str:
        return f"{self.wall:.2f} s wall / {self.cpu:.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--quality", action="store_true")
    args = parser.parse_args()
    if args.quality or not args.speed:
        quality()
    if args.speed or not args.quality:
        speed()


if __name__ == "__main__":
    main()
