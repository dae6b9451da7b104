"""Rules that write annotations, relations and entities.

Every function checks who is acting (roles.py), validates through anchoring.py and
attributes.py, and writes inside one transaction, so a refused call leaves the database as it
was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article

from . import roles
from .anchoring import OffsetMap, Span, SpanError, make_span
from .attributes import clean_attributes, referenced_entities
from .models import Annotation, Entity, Label, Relation


class BulkErrors(Exception):
    """Some items of an all-or-nothing write were invalid; ``errors`` maps each item's index to
    its field errors, and nothing was written."""

    def __init__(self, errors: dict[str, Any], field: str = "items") -> None:
        super().__init__(f"{len(errors)} item(s) are invalid; nothing was saved.")
        self.errors = errors
        self.field = field


class VersionConflict(Exception):
    """The client edited a version of the annotation that is no longer current."""

    def __init__(self, annotation: Annotation, sent: int) -> None:
        self.current = annotation.version
        super().__init__(
            f"This annotation was changed by someone else (you sent version {sent}, it is now "
            f"version {annotation.version}). Reload it and apply your change again."
        )


def active_labels() -> dict[str, Label]:
    return {label.slug: label for label in Label.objects.filter(active=True)}


def get_label(slug: str, *, labels: Mapping[str, Label] | None = None) -> Label:
    """The active label with this slug; ``labels`` (from active_labels) saves the query when
    many items are checked at once."""
    labels = active_labels() if labels is None else labels
    label = labels.get(slug) if isinstance(slug, str) else None
    if label is None:
        raise ValidationError(
            {"label": f"unknown label {slug!r}; use one of: {', '.join(labels)}."}
        )
    return label


def _anchor(
    text: str, start: Any, end: Any, quote: str | None, offset_map: OffsetMap | None
) -> Span:
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({name: f"must be an integer; got {value!r}."})
    if quote is not None and not isinstance(quote, str):
        raise ValidationError({"quote": "must be text."})
    try:
        if offset_map is not None:
            return offset_map.span(start, end, quote)
        return make_span(text, start, end, quote)
    except SpanError as error:
        raise ValidationError({error.field: str(error)}) from error


def _build_annotation(
    *,
    article: Article,
    author,
    item: Mapping[str, Any],
    offset_map: OffsetMap | None = None,
    status: str = Annotation.Status.PENDING,
    origin: str = Annotation.Origin.HUMAN,
    labels: Mapping[str, Label] | None = None,
    entities: Mapping[int, Entity] | None = None,
) -> Annotation:
    label = get_label(item.get("label"), labels=labels)
    span = _anchor(article.text, item.get("start"), item.get("end"), item.get("quote"), offset_map)
    attrs = clean_attributes(label.kind, item.get("attributes"), entities=entities)
    annotation = Annotation(
        article=article,
        revision_id=article.current_revision_id,
        label=label,
        start=span.start,
        end=span.end,
        quote=span.quote,
        prefix=span.prefix,
        suffix=span.suffix,
        attributes=attrs.stored,
        entity=attrs.entity,
        speaker=attrs.speaker,
        status=status,
        origin=origin,
        author=author,
    )
    # The foreign keys and the span were checked above; full_clean would query each key again
    # and run one query per check constraint (the database still enforces them on insert).
    annotation.full_clean(
        exclude=["article", "revision", "label", "author", "entity", "speaker"],
        validate_constraints=False,
    )
    return annotation


def _initial_status(origin: str) -> str:
    """A machine's span waits to be accepted; a person's waits for review."""
    return (
        Annotation.Status.SUGGESTED
        if origin == Annotation.Origin.MACHINE
        else Annotation.Status.PENDING
    )


def _locked(annotation: Annotation, *related: str) -> Annotation:
    """The annotation re-read under a row lock (only its own row: PostgreSQL cannot lock the
    nullable side of a join), so checks and the write see the same version."""
    rows = Annotation.objects.select_for_update(of=("self",))
    # select_related() with no names would follow every relation; only the named ones.
    return (rows.select_related(*related) if related else rows).get(pk=annotation.pk)


def _check_version(annotation: Annotation, version: Any) -> None:
    if version is not None and version != annotation.version:
        raise VersionConflict(annotation, version)


def _save_change(annotation: Annotation, reason: str) -> Annotation:
    """Every change bumps the version (optimistic concurrency) and is recorded with its reason."""
    annotation.version += 1
    annotation._change_reason = reason
    annotation.save()
    return annotation


def check_can_annotate(*, user, article: Article) -> None:
    if not roles.can_annotate_article(user, article):
        raise PermissionDenied(
            "You cannot annotate this article"
            + (
                f": it is {article.get_status_display().lower()}."
                if roles.can_annotate(user)
                else "."
            )
        )


@transaction.atomic
def annotation_create(
    *,
    article: Article,
    author,
    label: str,
    start: int,
    end: int,
    quote: str | None = None,
    attributes: dict | None = None,
    origin: str = Annotation.Origin.HUMAN,
) -> Annotation:
    check_can_annotate(user=author, article=article)
    annotation = _build_annotation(
        article=article,
        author=author,
        item={"label": label, "start": start, "end": end, "quote": quote, "attributes": attributes},
        status=_initial_status(origin),
        origin=origin,
    )
    annotation.save()
    return annotation


@transaction.atomic
def annotations_bulk_create(
    *,
    article: Article,
    author,
    items: Iterable[Mapping[str, Any]],
    raw_text: str | None = None,
    origin: str = Annotation.Origin.HUMAN,
) -> list[Annotation]:
    """All or nothing: every item is validated first; any error names its index and nothing is
    written. With ``raw_text`` the offsets were computed on the client's own copy of the text
    and are mapped through normalisation."""
    check_can_annotate(user=author, article=article)
    items = list(items)
    offset_map = OffsetMap(raw_text) if raw_text is not None else None
    status = _initial_status(origin)
    built: list[Annotation] = []
    errors: dict[str, Any] = {}
    labels, entities = active_labels(), referenced_entities(items)
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            errors[str(index)] = {"non_field_errors": ["must be a JSON object."]}
            continue
        try:
            built.append(
                _build_annotation(
                    article=article,
                    author=author,
                    item=item,
                    offset_map=offset_map,
                    status=status,
                    origin=origin,
                    labels=labels,
                    entities=entities,
                )
            )
        except ValidationError as error:
            errors[str(index)] = (
                error.message_dict if hasattr(error, "error_dict") else error.messages
            )
    if errors:
        raise BulkErrors(errors)
    created = Annotation.objects.bulk_create(built)
    # bulk_create skips simple-history's signal; record the creations explicitly.
    Annotation.history.bulk_history_create(created, default_user=author)
    return created


@transaction.atomic
def annotation_update(
    *, annotation: Annotation, user, version: Any, changes: Mapping[str, Any]
) -> Annotation:
    """Apply ``changes`` (label, start, end, quote, attributes) if ``version`` is current.

    The version check and the write happen under a row lock, so two editors saving at once
    cannot both win.
    """
    locked = _locked(annotation, "label", "article__current_revision")
    if not roles.can_edit_annotation(user, locked):
        raise PermissionDenied("You can only edit your own pending annotations.")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError({"version": "send the version you read (an integer)."})
    _check_version(locked, version)

    label = get_label(changes["label"]) if "label" in changes else locked.label
    if any(key in changes for key in ("start", "end", "quote")):
        span = _anchor(
            locked.article.text,
            changes.get("start", locked.start),
            changes.get("end", locked.end),
            changes.get("quote"),
            None,
        )
        locked.start, locked.end = span.start, span.end
        locked.quote, locked.prefix, locked.suffix = span.quote, span.prefix, span.suffix
        locked.revision_id = locked.article.current_revision_id
        locked.anchor_state = Annotation.AnchorState.ANCHORED
    if "attributes" in changes or label.kind != locked.label.kind:
        # A change of kind starts the attributes afresh: a claim's verdict means nothing on a quote.
        attrs = clean_attributes(label.kind, changes.get("attributes", {}))
        locked.attributes, locked.entity, locked.speaker = attrs.stored, attrs.entity, attrs.speaker
    locked.label = label
    if locked.status in (Annotation.Status.APPROVED, Annotation.Status.REJECTED):
        # A reviewed tag that changes needs a fresh review.
        locked.status = Annotation.Status.PENDING
        locked.reviewer, locked.reviewed_at = None, None
    return _save_change(locked, "edit")


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, version: Any = None) -> None:
    """Soft delete: the row stays (recoverable, and visible to mirrors as a deletion)."""
    locked = _locked(annotation, "label", "article")
    if not roles.can_edit_annotation(user, locked):
        raise PermissionDenied("You can only delete your own pending annotations.")
    _check_version(locked, version)
    locked.deleted_at = timezone.now()
    _save_change(locked, "delete")


@transaction.atomic
def annotation_restore(*, annotation: Annotation, user) -> Annotation:
    if not roles.is_editor(user) and annotation.author_id != user.pk:
        raise PermissionDenied("Only an editor or the author can restore an annotation.")
    annotation.deleted_at = None
    return _save_change(annotation, "restore")


@transaction.atomic
def annotation_review(
    *, annotation: Annotation, reviewer, approve: bool, note: str = "", version: Any = None
) -> Annotation:
    locked = _locked(annotation)
    if not roles.is_reviewer(reviewer):
        raise PermissionDenied("Only reviewers can approve or reject annotations.")
    if locked.deleted_at is not None:
        raise ValidationError({"status": "This annotation was deleted."})
    _check_version(locked, version)
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why the annotation is rejected."})
    locked.status = Annotation.Status.APPROVED if approve else Annotation.Status.REJECTED
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    locked.review_note = note.strip()
    return _save_change(locked, "approve" if approve else "reject")


@transaction.atomic
def annotation_reset(*, annotation: Annotation, user) -> Annotation:
    """Send a reviewed annotation back to the queue."""
    if not roles.is_reviewer(user):
        raise PermissionDenied("Only reviewers can reset a review.")
    locked = _locked(annotation)
    locked.status = Annotation.Status.PENDING
    locked.reviewer, locked.reviewed_at, locked.review_note = None, None, ""
    return _save_change(locked, "reset to pending")


@transaction.atomic
def suggestion_accept(*, annotation: Annotation, user) -> Annotation:
    locked = _locked(annotation, "article")
    check_can_annotate(user=user, article=locked.article)
    if locked.status != Annotation.Status.SUGGESTED:
        raise ValidationError(
            {"status": f"Only suggestions can be accepted; this one is {locked.status}."}
        )
    locked.status = Annotation.Status.PENDING
    return _save_change(locked, "accept suggestion")


@transaction.atomic
def relation_create(*, source: Annotation, target: Annotation, type: str, author) -> Relation:
    check_can_annotate(user=author, article=source.article)
    if source.article_id != target.article_id:
        raise ValidationError({"target": "Both ends of a relation must be in the same article."})
    relation = Relation(
        article_id=source.article_id, source=source, target=target, type=type, author=author
    )
    relation.full_clean()
    relation.save()
    return relation


@transaction.atomic
def relation_delete(*, relation: Relation, user) -> None:
    check_can_annotate(user=user, article=relation.article)
    if relation.author_id != user.pk and not roles.is_editor(user):
        raise PermissionDenied("You can only remove links you made.")
    relation.delete()


@transaction.atomic
def entity_create(
    *,
    name: str,
    type: str,
    aliases: list[str] | None = None,
    wikidata_qid: str = "",
    description: str = "",
) -> Entity:
    entity = Entity(
        name=name.strip(),
        type=type,
        aliases=aliases or [],
        wikidata_qid=wikidata_qid,
        description=description,
    )
    entity.full_clean()
    entity.save()
    return entity


@transaction.atomic
def entities_merge(*, keep: Entity, merge: Entity, user) -> Entity:
    """Fold ``merge`` into ``keep``: every span and quote relinked, names kept as aliases."""
    if not roles.is_editor(user):
        raise PermissionDenied("Only editors can merge entities.")
    if keep.pk == merge.pk:
        raise ValidationError("Pick two different entities to merge.")
    now = timezone.now()
    relinked = Annotation.objects.filter(Q(entity=merge) | Q(speaker=merge))
    ids = list(relinked.values_list("id", flat=True))
    Annotation.objects.filter(entity=merge).update(entity=keep)
    Annotation.objects.filter(speaker=merge).update(speaker=keep)
    Annotation.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=now)
    # update() writes no history of its own; record each relinked annotation's new state.
    Annotation.history.bulk_history_create(
        list(Annotation.objects.filter(pk__in=ids)),
        default_user=user,
        default_change_reason=f"entity {merge.pk} merged into {keep.pk}",
    )
    aliases = [*keep.aliases, merge.name, *merge.aliases]
    keep.aliases = list(dict.fromkeys(a for a in aliases if a and a != keep.name))
    if not keep.wikidata_qid and merge.wikidata_qid:
        qid = merge.wikidata_qid
        merge.wikidata_qid = ""
        merge.save(update_fields=["wikidata_qid"])
        keep.wikidata_qid = qid
    keep.save()
    merge.delete()
    return keep
