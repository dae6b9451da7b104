"""Extraction quality on composed news pages, and encodings, before and after issue 14.

    .venv/bin/python bench/bench_ingest.py

The pages are tests/data/pages/*.html (written for this project in the shapes desks save:
JSON-LD, OpenGraph, <time>, header "today" dates, leads as <h2>, standfirsts, lists, quotes,
boilerplate lines, eleven languages); tests/data/pages/expected.json says what each must give.
Every page is extracted ROUNDS times in one process, as a server sees repeated uploads. "Before"
is the extraction at 4cce02e, copied below as it was (trafilatura with deduplicate=True and its
own date; charset-normalizer for text), so the two are measured the same day on the same pages.
"""

import codecs
import json
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

from setup_django import ROOT

os.environ.setdefault("SECRET_KEY", "bench-only-secret-key")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
import django  # noqa: E402

django.setup()

from articles.encodings import decode  # noqa: E402
from articles.ingest import extract_bytes  # noqa: E402

ROUNDS = 5
# The pages the extraction was tuned on, and pages written afterwards and first run as they are.
SETS = {
    "tuned": ROOT / "tests" / "data" / "pages",
    "held out": ROOT / "bench" / "pages",
}


def expected(folder: Path) -> dict:
    return {
        k: v for k, v in json.loads((folder / "expected.json").read_text()).items() if k[0] != "_"
    }


def before_html(html: str) -> dict:
    """articles/ingest.py from_html at 4cce02e, reduced to what it returned."""
    import trafilatura
    from django.utils.dateparse import parse_date, parse_datetime

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=True,
    )
    if document is None or document.body is None:
        return {"text": "", "title": "", "published": None}
    paragraphs = []
    for block in document.body:
        if block.tag in ("list", "table"):
            children = block.iter("item") if block.tag == "list" else block.iter("row")
            paragraphs.extend(" ".join(" ".join(child.itertext()).split()) for child in children)
        else:
            paragraphs.append(" ".join("".join(block.itertext()).split()))
    title = (document.title or "").strip()
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and " ".join(paragraphs[0].split()) == " ".join(title.split()):
        paragraphs = paragraphs[1:]
    published = None
    if document.date:
        moment = parse_datetime(document.date)
        day = parse_date(document.date[:10])
        published = moment or (datetime(day.year, day.month, day.day) if day else None)
    return {"text": "\n\n".join(paragraphs), "title": title, "published": published}


def before_decode(data: bytes) -> str:
    """decode_text at 4cce02e: BOMs, UTF-8, then charset-normalizer's best guess."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        return str(best) if best else ""


def after_html(name: str, data: bytes) -> dict:
    try:
        extracted = extract_bytes(name, data)
    except Exception:  # noqa: BLE001 - a refusal counts as an empty result here
        return {"text": "", "title": "", "published": None}
    return {
        "text": extracted.text,
        "title": extracted.title,
        "published": extracted.published_at,
    }


def same_day_and_time(got, want: str | None) -> str:
    if want is None:
        return "right" if got is None else "wrong"
    if got is None:
        return "missing"
    expected = datetime.fromisoformat(want)
    if got.tzinfo is None:
        # The old code kept a naive date; it is right if the calendar day is.
        return "right" if got.date() == expected.date() else "wrong"
    return "right" if got == expected else "wrong"


def score(results: dict[str, dict], want_all: dict) -> dict:
    totals = {"whole": 0, "must": 0, "must_all": 0, "leaks": 0, "paragraphs": 0, "titles": 0}
    dates = {"right": 0, "wrong": 0, "missing": 0}
    for name, want in want_all.items():
        got = results[name]
        text = got["text"]
        found = sum(1 for words in want["must"] if words in text)
        leaks = sum(1 for words in want["must_not"] if words in text)
        count_right = bool(text) and len(text.split("\n\n")) == want["paragraphs"]
        totals["must"] += found
        totals["must_all"] += len(want["must"])
        totals["leaks"] += leaks
        totals["paragraphs"] += count_right
        totals["titles"] += got["title"] == want["title"]
        totals["whole"] += found == len(want["must"]) and count_right
        dates[same_day_and_time(got["published"], want["published"])] += 1
    return totals | dates


def run(extract, folder: Path) -> tuple[list[dict], bool, float]:
    want_all = expected(folder)
    rounds, times = [], []
    for _ in range(ROUNDS):
        results = {}
        for name in want_all:
            data = (folder / name).read_bytes()
            begin = time.perf_counter()
            results[name] = extract(name, data)
            times.append(time.perf_counter() - begin)
        rounds.append(results)
    stable = all(r == rounds[0] for r in rounds[1:])
    return [score(r, want_all) for r in rounds], stable, statistics.median(times) * 1000


ENCODINGS = [
    ("UTF-8", "La alcaldesa Peña y el concejal Núñez.".encode()),
    ("UTF-8 with BOM", codecs.BOM_UTF8 + "La alcaldesa Peña y el concejal Núñez.".encode()),
    ("UTF-16 with BOM", "La alcaldesa Peña y el concejal Núñez.".encode("utf-16")),
    ("Windows-1252 (es, curly quotes)", "“Peña”, dijo Núñez — 5 €.".encode("cp1252")),
    ("Latin-1 (es)", "La alcaldesa Peña y el concejal Núñez.".encode("latin-1")),
    ("Latin-1, one word", "Núñez".encode("latin-1")),
    ("Windows-1252 (de)", "Die Straßenbahn fährt öfter, sagte Jörg Müller.".encode("cp1252")),
    ("Windows-1252 (fr)", "L'élève a reçu « très bien » à l'écrit.".encode("cp1252")),
    (
        "Windows-1251 (ru)",
        "Президент заявил, что переговоры продолжатся на следующей неделе.".encode("cp1251"),
    ),
]


def encodings_table() -> list[tuple[str, bool, bool]]:
    rows = []
    for label, data in ENCODINGS:
        truth = data.decode(
            "utf-16" if "UTF-16" in label else "utf-8-sig" if "UTF-8" in label
            else "cp1251" if "1251" in label else "cp1252"
        ).lstrip("\ufeff")  # fmt: skip
        try:
            after = decode(data).text.lstrip("\ufeff") == truth
        except Exception:  # noqa: BLE001
            after = False
        rows.append((label, before_decode(data).lstrip("\ufeff") == truth, after))
    return rows


def main() -> None:
    import logging

    logging.disable(logging.WARNING)  # trafilatura's "discarding data" lines
    for set_name, folder in SETS.items():
        want_all = expected(folder)
        pages = len(want_all)
        must = sum(len(v["must"]) for v in want_all.values())
        print(
            f"## {set_name}: {pages} pages, {must} must-have passages, {ROUNDS} rounds in one process\n"
        )
        print(
            "| round | code | whole | must-have found | must-not leaked | paragraph counts | titles | dates right / wrong / missing |"
        )
        print("|---|---|---|---|---|---|---|---|")
        summaries = []
        for label, extract in (
            ("before", lambda name, data: before_html(before_decode(data))),
            ("after", after_html),
        ):
            scores, stable, median_ms = run(extract, folder)
            for number, s in enumerate(scores, start=1):
                print(
                    f"| {number} | {label} | {s['whole']}/{pages} | {s['must']}/{s['must_all']} | "
                    f"{s['leaks']} | {s['paragraphs']}/{pages} | {s['titles']}/{pages} | "
                    f"{s['right']} / {s['wrong']} / {s['missing']} |"
                )
            summaries.append(
                f"{label}: same result every round: {stable}; median {median_ms:.1f} ms a page"
            )
        print("\n" + "\n".join(summaries) + "\n")
    print("| encoding | before | after |")
    print("|---|---|---|")
    for label, before, after in encodings_table():
        print(f"| {label} | {'right' if before else 'WRONG'} | {'right' if after else 'WRONG'} |")


if __name__ == "__main__":
    sys.exit(main())
