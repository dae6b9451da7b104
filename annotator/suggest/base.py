"""What every suggester shares: the suggestion it proposes, the context it reads, and the
interface it implements.

A suggester is a module with ``NAME`` (its name, stored with each suggestion) and
``suggest(context) -> Iterable[Suggestion]``. The modules are listed in ``settings.SUGGESTERS``
and run in that order on one shared context, so a later suggester can read what an earlier one
found (quote attribution reads the names that entity recognition found).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .desk import Desk
    from .nlp import Mention


@dataclass
class Suggestion:
    """A span a suggester proposes; stored as a ``suggested`` annotation with origin machine."""

    label: str
    start: int
    end: int
    confidence: float
    attributes: dict[str, Any] = field(default_factory=dict)
    suggester: str = ""
    # For a quote: where its speaker is named, to link the quote to that entity span.
    speaker_at: tuple[int, int] | None = None


@dataclass(frozen=True)
class Span:
    """An annotation already in the article (any origin, any status), as the suggesters see it."""

    label: str
    kind: str
    start: int
    end: int
    quote: str
    entity_id: int | None = None


class Context:
    """One article's text and everything the suggesters share while they run over it."""

    def __init__(self, *, text: str, language: str = "", desk: Desk | None = None) -> None:
        from .desk import Desk

        self.text = text
        self.language = (language or "").lower()
        self.desk = desk if desk is not None else Desk.empty()
        # What the suggesters before this one proposed, in run order.
        self.found: list[Suggestion] = []

    @cached_property
    def mentions(self) -> list[Mention]:
        """Names found by the statistical model, parsed once for all suggesters (empty in the
        degraded mode without a model)."""
        from .nlp import find_mentions

        return find_mentions(self.text, self.language)

    def entity_spans(self) -> list[tuple[int, int, str]]:
        """Every entity span known so far: the article's own tags and earlier suggestions."""
        spans = [(s.start, s.end, s.label) for s in self.desk.article_spans if s.kind == "entity"]
        spans += [
            (s.start, s.end, s.label) for s in self.found if s.label in self.desk.entity_labels
        ]
        return sorted(spans)


class Disjoint:
    """Spans that do not overlap one another, kept sorted: whether a new span overlaps any is
    one bisection (the one starting last before its end is the only candidate)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)
        return index > 0 and self.ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


class Suggester(Protocol):
    NAME: str

    def suggest(self, context: Context) -> Iterable[Suggestion]: ...
