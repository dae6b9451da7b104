"""What ingestion hands to the article service: clean text, metadata, and where each came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

METADATA = ("title", "byline", "source_url", "published_at", "language")


@dataclass
class Extracted:
    text: str
    title: str = ""
    byline: str = ""
    source_url: str = ""
    published_at: datetime | None = None
    language: str = ""
    format: str = "text"
    # Where each field came from, in words an editor can check ("JSON-LD NewsArticle
    # datePublished"), plus any value worth showing as the page gave it (a date with its zone).
    sources: dict[str, Any] = field(default_factory=dict)
    # How the bytes were read: encoding, whether that was certain, and why.
    encoding: str = ""
    encoding_certain: bool = True
    encoding_reason: str = ""
    encoding_alternatives: tuple[str, ...] = ()

    def article_fields(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Keyword arguments for ``article_create``: what the person typed wins, the file's
        metadata fills the blanks, and the text is the file's."""
        fields = dict(given or {})
        for name in METADATA:
            if not fields.get(name):
                fields[name] = getattr(self, name)
        fields["text"] = self.text
        return fields

    def record(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The article's ``extraction`` field: how each stored field was obtained, so an editor
        can see why a date or a byline is what it is (the admin shows it)."""
        given = given or {}
        fields: dict[str, Any] = {}
        for name in METADATA:
            if given.get(name):
                fields[name] = {"source": "typed by the person who added it"}
            elif getattr(self, name):
                fields[name] = self.sources.get(name) or {"source": self.format}
            else:
                fields[name] = self.sources.get(name) or {"source": "not found"}
        record: dict[str, Any] = {
            "format": self.format,
            "fields": fields,
            "text": self.sources.get("text") or {"source": self.format},
        }
        if self.encoding:
            record["encoding"] = {
                "name": self.encoding,
                "certain": self.encoding_certain,
                "reason": self.encoding_reason,
            }
        return record
