"""CSV: one annotation per row, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Iterator

import orjson

from .base import ArticleExport

content_type = "text/csv; charset=utf-8"
extension = "csv"

HEADER = [
    "annotation_id", "article_id", "article_title", "label", "kind", "start", "end",
    "start_utf16", "end_utf16", "quote", "prefix", "suffix", "status", "origin", "author",
    "reviewer", "entity_id", "speaker_id", "attributes", "version", "created_at", "updated_at",
]  # fmt: skip

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets
# (OWASP "CSV injection"); a leading apostrophe makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def render(articles: Iterable[ArticleExport], **context) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # A BOM so Excel opens the UTF-8 file with accents and emoji intact.
    yield "\ufeff"
    writer.writerow(HEADER)
    safe = spreadsheet_safe
    for item in articles:
        title = safe(item.article["title"])
        for a in item.annotations:
            attributes = a["attributes"]
            writer.writerow(
                (
                    a["id"], a["article"], title, a["label"], a["kind"], a["start"], a["end"],
                    a["start_utf16"], a["end_utf16"], safe(a["quote"]), safe(a["prefix"]),
                    safe(a["suffix"]), a["status"], a["origin"], safe(a["author"] or ""),
                    safe(a["reviewer"] or ""), attributes.get("entity") or "",
                    attributes.get("speaker") or "",
                    safe(orjson.dumps(attributes).decode()) if attributes else "",
                    a["version"], a["created_at"], a["updated_at"],
                )
            )  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
