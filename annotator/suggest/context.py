"""The context the suggesters read, and the interface each implements.

A suggester is a module with ``NAME`` (its name, stored with each suggestion) and
``suggest(context) -> Iterable[Suggestion]``. The modules are listed in ``settings.SUGGESTERS``
and run in that order on one shared context, so a later suggester can read what an earlier one
found (quote attribution reads the names that entity recognition found).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Protocol

from .base import Suggestion
from .desk import Desk
from .nlp import Mention, find_mentions


class Context:
    """One article's text and everything the suggesters share while they run over it."""

    def __init__(self, *, text: str, language: str = "", desk: Desk | None = None) -> None:
        self.text = text
        self.language = (language or "").lower()
        self.desk = desk if desk is not None else Desk.empty()
        # What the suggesters before this one proposed, in run order.
        self.found: list[Suggestion] = []

    @cached_property
    def mentions(self) -> list[Mention]:
        """Names found by the statistical model, parsed once for all suggesters (empty in the
        degraded mode without a model)."""
        return find_mentions(self.text, self.language)

    def entity_spans(self) -> list[tuple[int, int, str]]:
        """Every entity span known so far: the article's own tags and earlier suggestions."""
        spans = [(s.start, s.end, s.label) for s in self.desk.article_spans if s.kind == "entity"]
        spans += [
            (s.start, s.end, s.label) for s in self.found if s.label in self.desk.entity_labels
        ]
        return sorted(spans)


class Suggester(Protocol):
    NAME: str

    def suggest(self, context: Context) -> Iterable[Suggestion]: ...
