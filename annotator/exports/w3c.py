"""W3C Web Annotation Data Model (JSON-LD): an AnnotationCollection with its items in one
embedded AnnotationPage, each annotation targeting its article with a TextQuoteSelector and a
TextPositionSelector (code points, as the model specifies).

JavaScript consumers get UTF-16 offsets in ``newsdesk:startUtf16`` / ``newsdesk:endUtf16`` on
the position selector; terms outside the W3C context are ignored by JSON-LD processors.
"""

from collections.abc import Iterable, Iterator

import orjson

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
            # A body with a purpose must be a SpecificResource (model 3.3.5), not a bare IRI.
            {
                "type": "SpecificResource",
                "source": f"{base}/api/entities/{attributes['entity']}/",
                "purpose": "identifying",
            }
        )
    if attributes.get("speaker"):
        bodies.append(
            {
                "type": "SpecificResource",
                "source": f"{base}/api/entities/{attributes['speaker']}/",
                "purpose": "linking",
            }
        )
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
) -> Iterator[bytes]:
    dumps = orjson.dumps
    head = {
        "@context": [CONTEXT, {"newsdesk": f"{base}/ns#"}],
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Newsdesk annotations",
        "total": total,
    }
    page_id = collection_id + ("&" if "?" in collection_id else "?") + "page=0"
    page = {"id": page_id, "type": "AnnotationPage", "startIndex": 0}
    # The collection and its page are opened by hand so items can stream between them.
    yield dumps(head)[:-1] + b',"first":' + dumps(page)[:-1] + b',"items":['
    first = True
    for item in articles:
        article_id = item.article["id"]
        chunk = b",".join(
            dumps(annotation_item(a, base=base, article_id=article_id)) for a in item.annotations
        )
        if chunk:
            yield chunk if first else b"," + chunk
            first = False
    yield b"]}}"
