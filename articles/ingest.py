"""Turn an uploaded file into an article's clean text and metadata.

Supported: .txt (encoding detected), .html/.htm (main text and metadata by trafilatura, made for
news pages), .md (rendered, then reduced to its text), .docx (paragraphs by python-docx).
Paragraphs come out separated by one blank line. Nothing here is ever rendered as HTML: the
result is plain text, normalised later by the article service.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.timezone import make_aware

SUPPORTED = (".txt", ".text", ".html", ".htm", ".md", ".markdown", ".docx")


class UploadTooLarge(ValidationError):
    """Over ARTICLE_MAX_UPLOAD_BYTES; answered with 413."""


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

    def article_fields(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Keyword arguments for ``article_create``: what the person typed wins, the file's
        metadata fills the blanks, and the text is the file's."""
        fields = dict(given or {})
        for name in METADATA:
            if not fields.get(name):
                fields[name] = getattr(self, name)
        fields["text"] = self.text
        return fields


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_size(size: int) -> None:
    limit = settings.ARTICLE_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadTooLarge(
            {
                "file": f"The file is {size:,} bytes; the limit is {limit:,} bytes (ARTICLE_MAX_UPLOAD_BYTES)."
            }
        )


def extract_upload(upload) -> Extracted:
    """An uploaded Django file, checked for size before it is read."""
    check_size(upload.size)
    return extract_bytes(upload.name or "", upload.read())


def extract_bytes(name: str, data: bytes) -> Extracted:
    check_size(len(data))
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise _refuse(
            f"{name or 'This file'} is not a supported type; upload one of: {', '.join(SUPPORTED)}."
        )
    if not data.strip():
        raise _refuse(f"{name} is empty.")
    if suffix == ".docx":
        return from_docx(data)
    text = decode_text(data, name)
    if suffix in (".html", ".htm"):
        return from_html(text)
    if suffix in (".md", ".markdown"):
        return from_markdown(text)
    return Extracted(text=text, format="text")


def decode_text(data: bytes, name: str = "the file") -> str:
    """Decode bytes of unknown encoding, refusing what is not text."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as error:
                raise _refuse(
                    f"{name} starts with a {encoding} byte-order mark but is not valid {encoding}."
                ) from error
    if b"\x00" in data:
        raise _refuse(f"{name} looks like a binary file, not text (it contains NUL bytes).")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _refuse(f"The bytes of {name} could not be decoded as text in any common encoding.")
    text = str(best)
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > max(2, len(text) // 100):
        raise _refuse(f"{name} looks like a binary file, not text.")
    return text


def _join_paragraphs(paragraphs) -> str:
    cleaned = (re.sub(r"[^\S\n]+", " ", p).strip() for p in paragraphs)
    return "\n\n".join(p for p in cleaned if p)


def _without_title(paragraphs: list[str], title: str) -> list[str]:
    """The headline is metadata; a first paragraph that repeats it is not article text."""
    first = next((i for i, p in enumerate(paragraphs) if p.strip()), None)
    if (
        first is not None
        and title
        and " ".join(paragraphs[first].split()) == " ".join(title.split())
    ):
        return paragraphs[first + 1 :]
    return paragraphs


_HTML_LANG = re.compile(
    r"<html[^>]*\blang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)", re.IGNORECASE
)


def _html_lang(html: str) -> str:
    match = _HTML_LANG.search(html[:5000])
    return match.group(1) if match else ""


def _parse_when(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value[:10])
        if day is None:
            return None
        moment = datetime(day.year, day.month, day.day)
    return moment if moment.tzinfo else make_aware(moment)


def from_html(html: str) -> Extracted:
    import trafilatura

    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        deduplicate=True,
    )
    if document is None or document.body is None:
        raise _refuse("No article text could be found in this HTML page.")
    paragraphs = []
    for block in document.body:
        if block.tag in ("list", "table"):
            # One paragraph per list item or table row, so each reads on its own.
            children = block.iter("item") if block.tag == "list" else block.iter("row")
            paragraphs.extend(" ".join(" ".join(child.itertext()).split()) for child in children)
        else:
            paragraphs.append(" ".join("".join(block.itertext()).split()))
    title = (document.title or "").strip()
    text = _join_paragraphs(_without_title(paragraphs, title))
    if not text:
        raise _refuse("No article text could be found in this HTML page.")
    return Extracted(
        text=text,
        title=title,
        byline=(document.author or "").strip(),
        source_url=document.url or "",
        published_at=_parse_when(document.date),
        language=document.language or _html_lang(html),
        format="html",
    )


def from_markdown(text: str) -> Extracted:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    paragraphs: list[str] = []
    title = ""
    heading = False
    for token in tokens:
        if token.type == "heading_open":
            heading = token.tag == "h1" and not title
        elif token.type == "inline":
            # Children carry the text without markup; code spans and softbreaks keep their words.
            words = "".join(
                child.content
                if child.type in ("text", "code_inline")
                else (" " if child.type in ("softbreak", "hardbreak") else "")
                for child in token.children or []
            )
            if heading:
                title = words.strip()
                heading = False
                continue
            paragraphs.append(words)
        elif token.type in ("fence", "code_block"):
            paragraphs.append(token.content)
    return Extracted(text=_join_paragraphs(paragraphs), title=title, format="markdown")


def from_docx(data: bytes) -> Extracted:
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise _refuse("This .docx file is damaged or is not a Word document.") from error
    properties = document.core_properties
    paragraphs = _without_title(
        [p.text for p in document.paragraphs], (properties.title or "").strip()
    )
    created = properties.created
    if created is not None and created.tzinfo is None:
        created = make_aware(created)
    return Extracted(
        text=_join_paragraphs(paragraphs),
        title=(properties.title or "").strip(),
        byline=(properties.author or "").strip(),
        published_at=created,
        language=(properties.language or "").strip(),
        format="docx",
    )
