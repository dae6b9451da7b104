"""W3C Web Annotation Data Model (JSON-LD): an AnnotationCollection with its items in one
embedded AnnotationPage, each annotation targeting its article with a TextQuoteSelector and a
TextPositionSelector (code points, as the model specifies).

JavaScript consumers get UTF-16 offsets in ``newsdesk:startUtf16`` / ``newsdesk:endUtf16`` on
the position selector; terms outside the W3C context are ignored by JSON-LD processors.
"""

import json
from collections.abc import Iterable, Iterator

from .base import ArticleExport

content_type = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"; charset=utf-8'
extension = "jsonld"

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = {"claim": "assessing", "quote": "identifying", "entity": "identifying"}


def annotation_item(a: dict, *, base: str, article_id: int) -> dict:
    source = f"{base}/api/articles/{article_id}/"
    bodies = [
        {"type": "TextualBody", "purpose": "tagging", "value": a["label"], "format": "text/plain"}
    ]
    attributes = a["attributes"]
    if attributes.get("entity"):
        bodies.append(
            {"id": f"{base}/api/entities/{attributes['entity']}/", "purpose": "identifying"}
        )
    if attributes.get("speaker"):
        bodies.append({"id": f"{base}/api/entities/{attributes['speaker']}/", "purpose": "linking"})
    if attributes.get("verdict"):
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": attributes["verdict"],
                "format": "text/plain",
            }
        )
    if attributes.get("verdict_note"):
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": attributes["verdict_note"],
                "format": "text/plain",
            }
        )
    return {
        "id": f"{base}/api/annotations/{a['id']}/",
        "type": "Annotation",
        "motivation": MOTIVATION.get(a["kind"], "tagging"),
        "created": a["created_at"],
        "modified": a["updated_at"],
        "creator": {"id": f"{base}/users/{a['author']}", "type": "Person", "nickname": a["author"]},
        "body": bodies,
        "target": {
            "source": source,
            "type": "Text",
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": a["quote"],
                    "prefix": a["prefix"],
                    "suffix": a["suffix"],
                },
                {
                    "type": "TextPositionSelector",
                    "start": a["start"],
                    "end": a["end"],
                    "newsdesk:startUtf16": a["start_utf16"],
                    "newsdesk:endUtf16": a["end_utf16"],
                },
            ],
        },
        "newsdesk:status": a["status"],
        "newsdesk:origin": a["origin"],
    }


def render(
    articles: Iterable[ArticleExport], *, base: str, total: int, collection_id: str, **context
) -> Iterator[str]:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = {
        "@context": [CONTEXT, {"newsdesk": f"{base}/ns#"}],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Newsdesk annotations",
        "total": total,
    }
    page_id = collection_id + ("&" if "?" in collection_id else "?") + "page=0"
    yield (
        dumps(head)[:-1]
        + ',"first":'
        + dumps({"id": page_id, "type": "AnnotationPage", "startIndex": 0})[:-1]
        + ',"items":['
    )
    first = True
    for item in articles:
        article_id = item.article["id"]
        chunk = ",".join(
            dumps(annotation_item(a, base=base, article_id=article_id)) for a in item.annotations
        )
        if chunk:
            yield ("" if first else ",") + chunk
            first = False
    yield "]}}"
