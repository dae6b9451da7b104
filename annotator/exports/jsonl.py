"""JSON Lines: one article per line, its text and its annotations.

A line is also what `POST /api/annotations/bulk/` accepts, so an export round-trips.
"""

from collections.abc import Iterable, Iterator

import orjson

from .base import ArticleExport

content_type = "application/x-ndjson; charset=utf-8"
extension = "jsonl"
needs_relations = True


def render(articles: Iterable[ArticleExport], **context) -> Iterator[bytes]:
    for item in articles:
        record: dict = dict(item.article)
        # The annotations go out as assembled, without being parsed again.
        record["annotations"] = orjson.Fragment(item.ready)
        if item.relations:
            record["relations"] = [
                {"source": source, "target": target, "type": kind}
                for source, target, kind in item.relations
            ]
        if item.skipped:
            record["needs_repair"] = item.skipped
        if item.deleted:
            record["deleted_annotations"] = item.deleted
        yield orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
