"""Turn an uploaded file into an article's clean text and metadata.

Supported: .txt (encoding detected by encodings.py), .html/.htm (story and metadata by
extract.py), .md (rendered, then reduced to its text), .docx (paragraphs by python-docx).
Every function here is pure: the same bytes give the same result in any process, whatever came
before.
Paragraphs come out separated by one blank line. Nothing here is ever rendered as HTML: the
result is plain text, normalised later by the article service.
"""

from __future__ import annotations

import io
import re
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.timezone import make_aware

from . import encodings
from .extract import from_html as _from_html
from .extracted import METADATA, Extracted

__all__ = [
    "METADATA",
    "SUPPORTED",
    "Extracted",
    "UploadTooLarge",
    "extract_bytes",
    "extract_upload",
]

SUPPORTED = (".txt", ".text", ".html", ".htm", ".md", ".markdown", ".docx")
HTML = (".html", ".htm")


class UploadTooLarge(ValidationError):
    """Over ARTICLE_MAX_UPLOAD_BYTES; answered with 413."""


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def check_size(size: int, field: str = "file") -> None:
    limit = settings.ARTICLE_MAX_UPLOAD_BYTES
    if size > limit:
        raise UploadTooLarge(
            {
                field: f"The file is {size:,} bytes; the limit is {limit:,} bytes (ARTICLE_MAX_UPLOAD_BYTES)."
            }
        )


def extract_upload(upload, *, encoding: str | None = None) -> Extracted:
    """An uploaded Django file, checked for size before it is read."""
    check_size(upload.size)
    return extract_bytes(upload.name or "", upload.read(), encoding=encoding)


def extract_bytes(
    name: str,
    data: bytes,
    *,
    encoding: str | None = None,
    declared: str | None = None,
    url: str = "",
) -> Extracted:
    """The text and metadata of a file's bytes: a pure function of its arguments.

    ``encoding`` is one a person chose (it overrides detection); ``declared`` the charset an HTTP
    response stated (it counts before the page's own ``<meta charset>``, as in browsers);
    ``url`` the address the bytes were fetched from.
    """
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
    if suffix in HTML:
        declared = declared or encodings.html_declared_charset(data)
    decoded = encodings.decode(data, declared=declared, chosen=encoding, name=name or "the file")
    text = decoded.text.removeprefix("\ufeff")
    if suffix in HTML:
        extracted = _from_html(text, url=url)
    elif suffix in (".md", ".markdown"):
        extracted = from_markdown(text)
    else:
        extracted = Extracted(text=text, format="text", sources={"text": {"source": "the file"}})
    extracted.encoding = decoded.encoding
    extracted.encoding_certain = decoded.certain
    extracted.encoding_reason = decoded.reason
    extracted.encoding_alternatives = decoded.alternatives
    if url and not extracted.source_url:
        extracted.source_url = url
        extracted.sources["source_url"] = {"source": "the address it was fetched from"}
    return extracted


def decode_text(data: bytes, name: str = "the file") -> str:
    """Decode bytes of unknown encoding, refusing what is not text (see encodings.py)."""
    return encodings.decode(data, name=name).text


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
    return Extracted(
        text=_join_paragraphs(paragraphs),
        title=title,
        format="markdown",
        sources={"title": {"source": "first # heading"}} if title else {},
    )


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
        sources={
            name: {"source": f"Word document properties ({prop})"}
            for name, prop in (
                ("title", "title"),
                ("byline", "author"),
                ("published_at", "created"),
                ("language", "language"),
            )
        },
    )
