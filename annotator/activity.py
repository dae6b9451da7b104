"""Who tagged, approved or changed what, and when: an article's or an entity's activity, read
from the history that simple-history already keeps of every write (one row per change).

A change is described against the record before it (of the same object), fetched with the
page's records, so a feed is a fixed number of queries however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from articles.models import Article

from .models import Annotation, Entity, Label, Relation

# The services record why they changed an annotation (services._save_change); these say it.
VERBS = {
    "edit": "changed",
    "delete": "deleted",
    "restore": "restored",
    "approve": "approved",
    "reject": "rejected",
    "accept suggestion": "accepted the suggestion",
    "reset to pending": "sent back to review",
    "re-anchor": "re-anchored",
}
ANNOTATION_FIELDS = (
    "label_id", "start", "end", "quote", "status", "attributes", "speaker_id", "entity_id",
    "review_note", "anchor_state", "deleted_at",
)  # fmt: skip
ARTICLE_FIELDS = (
    "title", "byline", "source_url", "published_at", "language", "status",
    "current_revision_id", "deleted_at",
)  # fmt: skip
MAX_EVENTS = 500
SPAN_PEOPLE = ("author", "reviewer")


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Event:
    at: datetime
    user: str | None
    action: str
    object_type: str
    object_id: int
    article_id: int | None
    summary: str
    label: str | None = None
    note: str = ""
    changes: tuple[Change, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat().replace("+00:00", "Z"),
            "user": self.user,
            "action": self.action,
            "object": {"type": self.object_type, "id": self.object_id},
            "article": self.article_id,
            "summary": self.summary,
            "label": self.label,
            "note": self.note,
            "changes": [{"field": c.field, "from": c.old, "to": c.new} for c in self.changes],
        }


def _with_previous(
    records: QuerySet, limit: int, before: datetime | None, people: tuple[str, ...] = ()
) -> list[tuple]:
    """The newest ``limit`` records (before ``before``), each with the record before it;
    ``people`` are the user fields to read with them (who acted, when no request said)."""
    if before is not None:
        records = records.filter(history_date__lt=before)
    previous = (
        records.model.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
        .order_by("-history_id")
        .values("history_id")[:1]
    )
    page = list(
        records.select_related("history_user", *people)
        .annotate(previous_id=Subquery(previous))
        .order_by("-history_date", "-history_id")[:limit]
    )
    ids = [r.previous_id for r in page if r.previous_id]
    before_of = records.model.objects.in_bulk(ids) if ids else {}
    return [(record, before_of.get(record.previous_id)) for record in page]


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _changes(record, previous, fields, labels: dict[int, str]) -> tuple[Change, ...]:
    if previous is None:
        return ()
    changes = []
    for name in fields:
        old, new = getattr(previous, name), getattr(record, name)
        if old != new:
            if name == "label_id":
                name, old, new = "label", labels.get(old), labels.get(new)
            changes.append(Change(name.removesuffix("_id"), _plain(old), _plain(new)))
    return tuple(changes)


def _who(record, fallback: str | None = None) -> str | None:
    """Who made the change: the signed-in user of the request that made it; for a write
    made outside a request (a script, a task), the row's own record of who did it."""
    user = record.history_user
    if user is None and fallback is not None:
        user = getattr(record, fallback)
    return user.get_username() if user is not None else None


def _annotation_events(records: list[tuple], labels: dict[int, str]) -> list[Event]:
    events = []
    for record, previous in records:
        reason = record.history_change_reason or ""
        if record.history_type == "+":
            action = "suggested" if record.origin == Annotation.Origin.MACHINE else "tagged"
        elif record.history_type == "-":
            action = "purged"
        else:
            action = VERBS.get(reason, reason or "changed")
        fallback = {"tagged": "author", "suggested": "author", "approved": "reviewer"}
        fallback["rejected"] = "reviewer"
        events.append(
            Event(
                at=record.history_date,
                user=_who(record, fallback.get(action)),
                action=action,
                object_type="annotation",
                object_id=record.id,
                article_id=record.article_id,
                summary=record.quote[:200],
                label=labels.get(record.label_id),
                note=record.review_note if action in ("rejected", "approved") else "",
                changes=_changes(record, previous, ANNOTATION_FIELDS, labels),
            )
        )
    return events


def _article_events(records: list[tuple]) -> list[Event]:
    events = []
    for record, previous in records:
        changes = _changes(record, previous, ARTICLE_FIELDS, {})
        if [(c.field, c.old) for c in changes] == [("current_revision", None)]:
            continue  # the first text, saved right after the article: part of adding it
        if record.history_type == "+":
            action = "added the article"
        elif any(c.field == "status" for c in changes):
            action = "moved the article to " + record.status.replace("_", " ")
        elif any(c.field == "current_revision" for c in changes):
            action = "edited the text"
        else:
            action = "changed the article"
        events.append(
            Event(
                at=record.history_date,
                user=_who(record, "updated_by"),
                action=action,
                object_type="article",
                object_id=record.id,
                article_id=record.id,
                summary=record.title[:200],
                changes=changes,
            )
        )
    return events


def _relation_events(records: list[tuple]) -> list[Event]:
    ends = {r.source_id for r, _ in records} | {r.target_id for r, _ in records}
    quotes = dict(Annotation.objects.filter(pk__in=ends).values_list("id", "quote"))

    def named(pk: int) -> str:
        quote = quotes.get(pk, f"#{pk}")
        return f"“{quote[:80]}”"

    return [
        Event(
            at=record.history_date,
            user=_who(record, "author"),
            action="linked" if record.history_type == "+" else "unlinked",
            object_type="relation",
            object_id=record.id,
            article_id=record.article_id,
            summary=(
                f"{named(record.source_id)} {record.type.replace('_', ' ')} "
                f"{named(record.target_id)}"
            ),
        )
        for record, _ in records
    ]


def _entity_events(records: list[tuple]) -> list[Event]:
    return [
        Event(
            at=record.history_date,
            user=_who(record),
            action={"+": "added the entity", "-": "removed the entity"}.get(
                record.history_type, "changed the entity"
            ),
            object_type="entity",
            object_id=record.id,
            article_id=None,
            summary=record.name,
            changes=_changes(record, previous, ("name", "type", "aliases", "wikidata_qid"), {}),
        )
        for record, previous in records
    ]


def _newest(events: list[Event], limit: int) -> list[Event]:
    return sorted(events, key=lambda e: e.at, reverse=True)[:limit]


def _labels() -> dict[int, str]:
    return dict(Label.objects.values_list("id", "slug"))


def article_activity(
    article: Article, *, limit: int = 100, before: datetime | None = None
) -> list[Event]:
    """The article's changes and its annotations' and links', newest first."""
    limit = max(1, min(limit, MAX_EVENTS))
    labels = _labels()
    events = [
        *_article_events(
            _with_previous(Article.history.filter(id=article.pk), limit, before, ("updated_by",))
        ),
        *_annotation_events(
            _with_previous(
                Annotation.history.filter(article_id=article.pk), limit, before, SPAN_PEOPLE
            ),
            labels,
        ),
        *_relation_events(
            _with_previous(
                Relation.history.filter(article_id=article.pk), limit, before, ("author",)
            )
        ),
    ]
    return _newest(events, limit)


def entity_activity(
    entity: Entity, user, *, limit: int = 100, before: datetime | None = None
) -> list[Event]:
    """The entity's own changes and those of every span that names it or quotes it, in the
    articles this user may read, newest first."""
    limit = max(1, min(limit, MAX_EVENTS))
    readable = Article.objects.visible_to(user).values("pk")
    spans = Annotation.history.filter(
        Q(entity_id=entity.pk) | Q(speaker_id=entity.pk), article_id__in=readable
    )
    events = [
        *_entity_events(_with_previous(Entity.history.filter(id=entity.pk), limit, before)),
        *_annotation_events(_with_previous(spans, limit, before, SPAN_PEOPLE), _labels()),
    ]
    return _newest(events, limit)
