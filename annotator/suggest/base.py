"""What every suggester deals in: the suggestion it proposes, the spans the article already
has, and a set of spans that do not overlap (context.py holds the context they read and the
interface they implement)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any


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
