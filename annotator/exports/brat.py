"""brat standoff: a zip with `<id>.txt` (the text) and `<id>.ann` per article.

T lines carry code point offsets into the .txt (a span across a line break is written as
fragments, as brat requires); A lines the status and fact-check attributes; N lines the link to
a canonical Entity (and Wikidata); R lines the relations.
"""

import zipfile
from collections.abc import Iterable, Iterator

from .base import ArticleExport

content_type = "application/zip"
extension = "zip"
binary = True
needs_relations = True

TYPES = {"claim": "Claim", "quote": "Quote", "person": "Person", "organization": "Organization",
         "location": "Location", "event": "Event", "other": "Other"}  # fmt: skip


def brat_type(label: str) -> str:
    return TYPES.get(label) or "".join(
        part.capitalize() for part in label.replace("_", "-").split("-")
    )


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, position = [], start
    while position < end:
        newline = text.find("\n", position, end)
        stop = end if newline == -1 else newline
        if stop > position:
            pieces.append((position, stop))
        position = stop + 1
    return pieces


def ann_lines(item: ArticleExport) -> list[str]:
    text = item.text
    lines, t_of, types = [], {}, {}
    attribute_n = note_n = 0
    for number, a in enumerate(item.annotations, start=1):
        start, end, label = a["start"], a["end"], a["label"]
        if text.find("\n", start, end) == -1:  # most spans: one piece, no line break
            offsets, covered = f"{start} {end}", text[start:end]
        else:
            parts = fragments(text, start, end)
            if not parts:
                continue
            offsets = ";".join(f"{s} {e}" for s, e in parts)
            covered = " ".join(text[s:e] for s, e in parts)
        t_of[a["id"]] = f"T{number}"
        kind = types.get(label) or types.setdefault(label, brat_type(label))
        lines.append(f"T{number}\t{kind} {offsets}\t{covered}")
        attribute_n += 1
        lines.append(f"A{attribute_n}\tStatus T{number} {a['status']}")
        attributes = a["attributes"]
        for key in ("attribution", "fact_check_state", "verdict", "check_worthiness"):
            if attributes.get(key):
                attribute_n += 1
                lines.append(
                    f"A{attribute_n}\t{key.title().replace('_', '')} T{number} {attributes[key]}"
                )
        for key in ("entity", "speaker"):
            if attributes.get(key):
                note_n += 1
                lines.append(
                    f"N{note_n}\tReference T{number} Newsdesk:{key}/{attributes[key]}\t{key}"
                )
    for number, (source, target, kind) in enumerate(item.relations, start=1):
        if source in t_of and target in t_of:
            lines.append(f"R{number}\t{kind} Arg1:{t_of[source]} Arg2:{t_of[target]}")
    return lines


class _Sink:
    """A write-only file for ZipFile that hands out what was written so far."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def render(articles: Iterable[ArticleExport], **context) -> Iterator[bytes]:
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("annotation.conf", CONF)
        for item in articles:
            stem = str(item.article["id"])
            archive.writestr(f"{stem}.txt", item.text)
            archive.writestr(f"{stem}.ann", "\n".join(ann_lines(item)) + "\n")
            yield sink.take()
    yield sink.take()


CONF = """[entities]
Claim
Quote
Person
Organization
Location
Event
Other

[relations]
spoken_by\tArg1:Quote, Arg2:<ENTITY>
about\tArg1:Claim, Arg2:<ENTITY>
source\tArg1:Claim, Arg2:<ENTITY>

[events]

[attributes]
Status\tArg:<ENTITY>, Value:suggested|pending|approved|rejected
Attribution\tArg:Quote, Value:direct|indirect|paraphrase
FactCheckState\tArg:Claim, Value:unchecked|checking|checked
Verdict\tArg:Claim, Value:true|mostly_true|half_true|mostly_false|false|misleading|unproven
CheckWorthiness\tArg:Claim, Value:high|medium|low|none
"""
