"""schema.org ClaimReview (JSON-LD) for every approved claim with a verdict: what search engines
and fact-check aggregators read."""

from collections.abc import Iterable, Iterator

import orjson
from django.conf import settings

from ..choices import VERDICT_RATINGS, AnnotationStatus, Kind
from .base import ArticleExport

content_type = "application/ld+json; charset=utf-8"
extension = "jsonld"


def review_item(a: dict, article: dict, *, base: str) -> dict:
    attributes = a["attributes"]
    verdict = attributes["verdict"]
    appearance = {"@type": "CreativeWork", "headline": article["title"]}
    if article["source_url"]:
        appearance["url"] = article["source_url"]
    if article["published_at"]:
        appearance["datePublished"] = article["published_at"]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base}/articles/{article['id']}/#annotation-{a['id']}",
        "claimReviewed": a["quote"],
        "datePublished": (a["reviewed_at"] or a["updated_at"])[:10],
        "author": {"@type": "Organization", "name": settings.NEWSROOM_NAME},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": VERDICT_RATINGS[verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": verdict.replace("_", " ").capitalize(),
        },
        "itemReviewed": {"@type": "Claim", "appearance": appearance},
    }
    if attributes.get("verdict_note"):
        review["reviewBody"] = attributes["verdict_note"]
    if attributes.get("sources"):
        review["citation"] = attributes["sources"]
    if article["byline"]:
        review["itemReviewed"]["author"] = {"@type": "Person", "name": article["byline"]}
    return review


def is_reviewed_claim(a: dict) -> bool:
    return (
        a["kind"] == Kind.CLAIM
        and a["status"] == AnnotationStatus.APPROVED
        and bool(a["attributes"].get("verdict"))
    )


def render(articles: Iterable[ArticleExport], *, base: str, **context) -> Iterator[bytes]:
    yield b"["
    first = True
    for item in articles:
        for a in item.annotations:
            if is_reviewed_claim(a):
                review = orjson.dumps(review_item(a, item.article, base=base))
                yield review if first else b"," + review
                first = False
    yield b"]"
