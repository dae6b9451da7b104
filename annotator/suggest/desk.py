"""What the newsroom already knows and decided, as the suggesters need it: the article's own
tags (so nothing already suggested, accepted or rejected comes back), the canonical Entities
(to link mentions to), and what editors confirmed or rejected across articles (a name rejected
again and again stops coming back; one confirmed again and again is looked for everywhere).

Read once per run, in a handful of queries (Desk.for_article); the suggesters only read it.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import accumulate

from django.conf import settings
from django.db.models import Count, Q

from .base import Span, Suggestion
from .people import clean_name, surname


class Occupied:
    """Spans (which may overlap and nest), sorted by start with the running maximum of their
    ends: whether a span overlaps any of them is one bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.max_ends = list(accumulate((end for _, end in spans), max))

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)
        return index > 0 and self.max_ends[index - 1] > start


def name_key(text: str) -> str:
    """How names are compared: case, titles and a possessive do not matter."""
    return " ".join(clean_name(text).casefold().split())


@dataclass(frozen=True)
class KnownEntity:
    id: int
    name: str
    type: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    entity_id: int
    name: str
    confidence: float


@dataclass
class Desk:
    # label slug -> entity type, for the active entity labels
    entity_labels: dict[str, str] = field(default_factory=dict)
    # label slug -> kind, for every active label
    label_kinds: dict[str, str] = field(default_factory=dict)
    # every live annotation of the article
    article_spans: list[Span] = field(default_factory=list)
    # (label, start, end) of every annotation the article has or had (deleted, rejected)
    seen: set[tuple[str, int, int]] = field(default_factory=set)
    # (label, name key) of machine suggestions rejected or deleted in this article
    rejected_here: set[tuple[str, str]] = field(default_factory=set)
    # (label, name key) rejected in SUGGEST_LEARN_AFTER articles or more, confirmed less often
    banned: set[tuple[str, str]] = field(default_factory=set)
    # name key -> (label, the name as written) confirmed in SUGGEST_LEARN_AFTER articles or more
    confirmed: dict[str, tuple[str, str]] = field(default_factory=dict)
    entities: list[KnownEntity] = field(default_factory=list)
    _by_name: dict[str, list[KnownEntity]] = field(default_factory=dict)
    _by_surname: dict[str, list[KnownEntity]] = field(default_factory=dict)
    _spans_by_kind: dict[str, Occupied] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> Desk:
        from ..models import EntityType

        types = {t.value: t.value for t in EntityType}
        kinds = {**dict.fromkeys(types, "entity"), "quote": "quote", "claim": "claim"}
        return cls(entity_labels=types, label_kinds=kinds)

    def __post_init__(self) -> None:
        self._index()

    def _index(self) -> None:
        self._by_name, self._by_surname = defaultdict(list), defaultdict(list)
        for entity in self.entities:
            for name in (entity.name, *entity.aliases):
                if name_key(name):
                    self._by_name[name_key(name)].append(entity)
            if entity.type == "person" and surname(entity.name):
                self._by_surname[surname(entity.name)].append(entity)

    def _occupied(self, kind: str) -> Occupied:
        if kind not in self._spans_by_kind:
            self._spans_by_kind[kind] = Occupied(
                [(s.start, s.end) for s in self.article_spans if s.kind == kind]
            )
        return self._spans_by_kind[kind]

    def label_for(self, entity_type: str) -> str | None:
        """The entity label that tags this type ("person" -> "person")."""
        for slug, type_ in self.entity_labels.items():
            if type_ == entity_type and slug == entity_type:
                return slug
        return next((s for s, t in self.entity_labels.items() if t == entity_type), None)

    def link(self, surface: str, label: str) -> Link | None:
        """The Entity this mention names, if exactly one fits: by name or alias, else (people)
        by surname ("Sheinbaum", "President Sheinbaum" -> "Claudia Sheinbaum")."""
        entity_type = self.entity_labels.get(label)
        key = name_key(surface)
        if not key or entity_type is None:
            return None
        exact = {e.id: e for e in self._by_name.get(key, []) if e.type == entity_type}
        if len(exact) == 1:
            entity = next(iter(exact.values()))
            return Link(entity.id, entity.name, 0.95 if key == name_key(entity.name) else 0.9)
        if entity_type == "person" and len(key.split()) == 1:
            by_surname = {e.id: e for e in self._by_surname.get(key, [])}
            if len(by_surname) == 1:
                entity = next(iter(by_surname.values()))
                return Link(entity.id, entity.name, 0.75)
        return None

    def allows(self, suggestion: Suggestion, kind: str, quote: str) -> bool:
        """Whether the desk wants to see this suggestion: not where the article has or had a
        tag of the same kind, not a name rejected here or rejected across articles."""
        if (suggestion.label, suggestion.start, suggestion.end) in self.seen:
            return False
        if self._occupied(kind).overlaps(suggestion.start, suggestion.end):
            return False
        if kind == "entity":
            key = (suggestion.label, name_key(quote))
            if key in self.rejected_here or key in self.banned:
                return False
        elif (suggestion.label, " ".join(quote.casefold().split())) in self.rejected_here:
            return False
        return True

    @classmethod
    def for_article(cls, article) -> Desk:
        from ..models import Annotation, Entity, Kind, Label

        labels = list(Label.objects.filter(active=True).values_list("slug", "kind", "entity_type"))
        desk = cls(
            entity_labels={slug: type_ for slug, kind, type_ in labels if kind == Kind.ENTITY},
            label_kinds={slug: kind for slug, kind, _ in labels},
        )
        rows = Annotation.objects.filter(article=article).values_list(
            "label__slug", "label__kind", "start", "end", "quote", "entity_id", "status",
            "origin", "deleted_at",
        )  # fmt: skip
        for slug, kind, start, end, quote, entity_id, status, origin, deleted_at in rows:
            desk.seen.add((slug, start, end))
            gone = deleted_at is not None or status == Annotation.Status.REJECTED
            if not gone:
                desk.article_spans.append(Span(slug, kind, start, end, quote, entity_id))
            elif origin == Annotation.Origin.MACHINE:
                key = name_key(quote) if kind == Kind.ENTITY else " ".join(quote.casefold().split())
                desk.rejected_here.add((slug, key))
        desk.entities = [
            KnownEntity(pk, name, type_, tuple(a for a in aliases or () if isinstance(a, str)))
            for pk, name, type_, aliases in Entity.objects.values_list(
                "id", "name", "type", "aliases"
            )
        ]
        desk._learn(article)
        desk._index()
        return desk

    def _learn(self, article) -> None:
        """Names confirmed or rejected across the other articles, counted per article."""
        from ..models import Annotation, Kind

        threshold = settings.SUGGEST_LEARN_AFTER
        machine = Q(origin=Annotation.Origin.MACHINE)
        rejected = machine & (Q(status=Annotation.Status.REJECTED) | Q(deleted_at__isnull=False))
        confirmed = Q(deleted_at__isnull=True) & (
            (~machine & ~Q(status=Annotation.Status.REJECTED))
            | (machine & Q(status__in=[Annotation.Status.PENDING, Annotation.Status.APPROVED]))
        )
        rows = (
            Annotation.objects.filter(label__kind=Kind.ENTITY)
            .exclude(article=article)
            .values("label__slug", "quote")
            .annotate(
                rejected=Count("article", filter=rejected, distinct=True),
                confirmed=Count("article", filter=confirmed, distinct=True),
            )
            .filter(Q(rejected__gte=threshold) | Q(confirmed__gte=threshold))
        )
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
        written: dict[tuple[str, str], str] = {}
        for row in rows:
            key = (row["label__slug"], name_key(row["quote"]))
            counts[key][0] += row["rejected"]
            counts[key][1] += row["confirmed"]
            written.setdefault(key, row["quote"])
        for (label, key), (no, yes) in counts.items():
            if no >= threshold and no > yes:
                self.banned.add((label, key))
            elif yes >= threshold and yes > no:
                self.confirmed.setdefault(key, (label, written[(label, key)]))
