"""Import the stories of an RSS or Atom feed (feedparser reads every dialect).

Each item becomes an article: from the feed's own full content when it carries the story
(`content:encoded`, Atom `content`), otherwise from its link, fetched under the same rules as
an import by URL and extracted like an upload. Items are skipped as duplicates by address (the
link, without its fragment and tracking parameters, already imported or seen earlier in this
feed) and by text (the article service's rule: the same normalised text is the same article).
One bad item never stops the rest; the summary says what happened to each.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import PermissionDenied, ValidationError

from .extract import from_fragment
from .extracted import Extracted
from .fetch import FEED_TYPES, HTML_TYPES, TEXT_TYPES, fetch, fetch_article
from .intake import article_create_extracted
from .models import Article

# A feed's content shorter than this is a teaser; the story is then fetched from its link.
FULL_CONTENT_CHARS = 500
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "ocid", "cmpid")


@dataclass
class FeedSummary:
    source: str
    title: str = ""
    items: int = 0
    imported: list[tuple[str, int]] = field(default_factory=list)
    duplicate_urls: list[str] = field(default_factory=list)
    duplicate_texts: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (
            f"Feed “{self.title or self.source}”: {self.items} items; imported "
            f"{len(self.imported)}, duplicates skipped {len(self.duplicate_urls) + len(self.duplicate_texts)} "
            f"({len(self.duplicate_urls)} by address, {len(self.duplicate_texts)} by text), "
            f"refused {len(self.refused)}."
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "title": self.title,
            "items": self.items,
            "imported": [{"item": item, "article": pk} for item, pk in self.imported],
            "duplicate_urls": self.duplicate_urls,
            "duplicate_texts": self.duplicate_texts,
            "refused": [{"item": item, "reason": reason} for item, reason in self.refused],
            "summary": self.line(),
        }


def url_key(url: str) -> str:
    """The address an item is known by: no fragment, no tracking parameters, host lowercased."""
    parts = urlsplit(url.strip())
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), "")
    )


def read_feed(source: str) -> tuple[bytes, str]:
    """The feed's bytes and its base address: fetched (same rules as pages) or read from a file."""
    if source.startswith(("http://", "https://")):
        fetched = fetch(source, accept=FEED_TYPES + HTML_TYPES + TEXT_TYPES)
        return fetched.data, fetched.url
    path = Path(source)
    if not path.is_file():
        raise ValidationError({"source": f"{source} is neither an http(s) address nor a file."})
    return path.read_bytes(), ""


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return "; ".join(" ".join(v) for v in error.message_dict.values())
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _entry_published(entry) -> datetime | None:
    # Only the item's publication date: an "updated" date is not when the story came out.
    # feedparser gives it as a UTC struct_time, whatever zone the feed wrote.
    parsed = entry.get("published_parsed")
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None


def _entry_content(entry) -> str:
    for content in entry.get("content") or []:
        if "html" in (content.get("type") or "html") and content.get("value"):
            return content["value"]
    return ""


def _from_entry(entry, *, fetch_pages: bool) -> Extracted:
    content = _entry_content(entry)
    link = entry.get("link") or ""
    extracted = None
    if content:
        candidate = from_fragment(content)
        if len(candidate.text) >= FULL_CONTENT_CHARS or not (fetch_pages and link):
            extracted = candidate
    if extracted is None:
        if not link:
            raise ValidationError("the item has no link and no full content.")
        if not fetch_pages:
            raise ValidationError("the feed gives only a summary and fetching is off (--no-fetch).")
        extracted = fetch_article(link)
    # The feed fills what the story did not say about itself.
    for name, value, source in (
        ("title", " ".join((entry.get("title") or "").split()), "the feed item's title"),
        ("byline", entry.get("author") or "", "the feed item's author"),
        ("source_url", link, "the feed item's link"),
        ("published_at", _entry_published(entry), "the feed item's publication date"),
    ):
        if value and not getattr(extracted, name):
            setattr(extracted, name, value)
            extracted.sources[name] = {"source": source}
            if name == "published_at":
                extracted.sources[name]["as_given"] = entry.get("published", "")
    return extracted


def import_feed(
    source: str, *, user, fetch_pages: bool = True, limit: int | None = None
) -> FeedSummary:
    """Import every item of the feed at ``source`` (an address or a file) as ``user``."""
    import feedparser

    summary = FeedSummary(source=source)
    data, base = read_feed(source)
    # A file-like object: feedparser opens a string that looks like a path or an address itself.
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers={"content-location": base} if base else None
    )
    if parsed.bozo and not parsed.entries:
        raise ValidationError(
            {"source": f"{source} is not an RSS or Atom feed ({parsed.get('bozo_exception')})."}
        )
    summary.title = " ".join((parsed.feed.get("title") or "").split())
    entries = parsed.entries[:limit] if limit else parsed.entries
    summary.items = len(entries)
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        label = entry.get("link") or entry.get("id") or f"item {number}"
        key = url_key(entry["link"]) if entry.get("link") else ""
        if key and (key in seen or _already_imported(entry["link"], key)):
            summary.duplicate_urls.append(label)
            continue
        if key:
            seen.add(key)
        try:
            extracted = _from_entry(entry, fetch_pages=fetch_pages)
            article, created = article_create_extracted(user=user, extracted=extracted)
        except (ValidationError, PermissionDenied) as error:
            summary.refused.append((label, _reason(error)))
            continue
        if created:
            summary.imported.append((label, article.pk))
        else:
            summary.duplicate_texts.append(label)
    return summary


def _already_imported(link: str, key: str) -> bool:
    return Article.objects.alive().filter(source_url__in={link, key}).exists()
