"""CSV: one annotation per row, safe to open in a spreadsheet.

Rows come assembled per article (``assembly``), the title cell left as a marker: titles change
without their annotations changing.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from ..assembly import TITLE, spreadsheet_safe
from .base import ArticleExport

content_type = "text/csv; charset=utf-8"
extension = "csv"
part = "csv"

HEADER = [
    "annotation_id", "article_id", "article_title", "label", "kind", "author", "reviewer",
    "start", "end", "start_utf16", "end_utf16", "quote", "prefix", "suffix", "status", "origin",
    "entity_id", "speaker_id", "attributes", "version", "created_at", "updated_at",
]  # fmt: skip


def csv_line(cells: Iterable) -> str:
    """Cells as one CSV line (quoted where needed), without its line end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    return buffer.getvalue()[:-2]


def render(articles: Iterable[ArticleExport], **context) -> Iterator[bytes]:
    # A BOM so Excel opens the UTF-8 file with accents and emoji intact.
    yield ("\ufeff" + csv_line(HEADER) + "\r\n").encode()
    for item in articles:
        title = csv_line([spreadsheet_safe(item.article["title"])]).encode()
        yield item.ready.replace(TITLE.encode(), title)
