"""CoNLL-style BIO tokens for entity spans: `token<TAB>tag`, a blank line between sentences,
`-DOCSTART-` before each article. Nested entity spans keep the outermost (longest) one, since
BIO cannot nest."""

import re
from collections.abc import Iterable, Iterator

from ..sentences import sentence_ends
from .base import ArticleExport

content_type = "text/plain; charset=utf-8"
extension = "conll"

TAGS = {
    "person": "PER",
    "organization": "ORG",
    "location": "LOC",
    "event": "EVENT",
    "other": "MISC",
}
_TOKEN = re.compile(r"\w+(?:[’'.-]\w+)*|[^\w\s]", re.UNICODE)


def tag_of(label: str) -> str:
    return TAGS.get(label, label.upper())


def entity_spans(annotations: list[dict]) -> list[tuple[int, int, str]]:
    spans = sorted(
        (
            (a["start"], a["end"], tag_of(a["label"]))
            for a in annotations
            if a["kind"] == "entity" and a["status"] != "rejected"
        ),
        key=lambda s: (s[0], -(s[1] - s[0])),
    )
    kept, last_end = [], -1
    for start, end, tag in spans:
        if start >= last_end:
            kept.append((start, end, tag))
            last_end = end
    return kept


def render(articles: Iterable[ArticleExport], **context) -> Iterator[str]:
    for item in articles:
        text = item.text
        spans = entity_spans(item.annotations)
        breaks = sentence_ends(text)
        lines = ["-DOCSTART-\tO", ""]
        span_index, break_index, in_sentence = 0, 0, False
        current = None  # (end, tag) of the span the previous token was in
        for match in _TOKEN.finditer(text):
            start = match.start()
            while break_index < len(breaks) and breaks[break_index] <= start:
                if in_sentence:
                    lines.append("")
                    in_sentence = False
                break_index += 1
            while span_index < len(spans) and spans[span_index][1] <= start:
                span_index += 1
            tag = "O"
            if span_index < len(spans) and spans[span_index][0] <= start < spans[span_index][1]:
                span = spans[span_index]
                tag = ("I-" if current == span else "B-") + span[2]
                current = span
            else:
                current = None
            lines.append(f"{match.group()}\t{tag}")
            in_sentence = True
        if in_sentence:
            lines.append("")
        yield "\n".join(lines) + "\n"
