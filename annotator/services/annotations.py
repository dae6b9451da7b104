"""Single writes of annotations and relations: create, edit, delete, restore, review, accept.

Every function checks who is acting (articles.roles) and the article's lock, validates through
anchoring.py and attributes.py, and writes inside one transaction, so a refused call leaves the
database as it was. Every change bumps the annotation's ``version``: readers key what they
assembled by it (assembly.py), so nothing else has to be told.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from articles import roles
from articles.models import Article

from ..anchoring import OffsetMap, Span, SpanError, make_span
from ..attributes import clean_attributes
from ..choices import AnnotationStatus, Origin
from ..models import Annotation, Label, Relation
from ..webhooks.events import emit


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


def anchor(text: str, start: Any, end: Any, quote: Any, offset_map: OffsetMap | None) -> Span:
    """The span these client values name in ``text`` (or, with ``offset_map``, in the text the
    client sent), or a ValidationError naming the field at fault."""
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


def initial_status(origin: str) -> str:
    """A machine's span waits to be accepted; a person's waits for review."""
    return AnnotationStatus.SUGGESTED if origin == Origin.MACHINE else AnnotationStatus.PENDING


def check_article_open(*, user, article: Article) -> None:
    """Published and archived articles are locked to everyone but editors: every write of an
    annotation or relation, reviews and restores included, asks this first."""
    if article.is_locked and not roles.is_editor(user):
        raise PermissionDenied(
            f"This article is {article.get_status_display().lower()}: only editors can change "
            "its annotations."
        )


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


def hold_article_text(article: Article) -> Article:
    """Keep the article's text from changing until this transaction ends, and return the
    article with the text that holds.

    A new revision carries the annotations over under the article's row lock; a span written
    meanwhile against the old text would miss that and point at other words. A shared lock
    lets writers of spans go on side by side. SQLite serialises writers already.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {Article._meta.db_table} WHERE id = %s FOR SHARE", [article.pk]
            )
    return Article.objects.select_related("current_revision").get(pk=article.pk)


def locked_annotation(annotation: Annotation, *related: str) -> Annotation:
    """The annotation re-read under its row lock (only its own row: PostgreSQL cannot lock the
    nullable side of a join), so checks and the write see the same version."""
    rows = Annotation.objects.select_for_update(of=("self",))
    # select_related() with no names would follow every relation; only the named ones.
    return (rows.select_related(*related) if related else rows).get(pk=annotation.pk)


def check_version(annotation: Annotation, version: Any) -> None:
    if version is not None and version != annotation.version:
        raise VersionConflict(annotation, version)


# The webhook event each kind of change announces (any other: annotation.updated).
CHANGE_EVENTS = {
    "delete": "annotation.deleted",
    "approve": "annotation.approved",
    "reject": "annotation.rejected",
}


def save_change(annotation: Annotation, reason: str) -> Annotation:
    """Every change bumps the version (optimistic concurrency, and the key of every assembled
    read), is recorded in the history with its reason, and is announced to webhooks once the
    transaction commits."""
    annotation.version += 1
    annotation._change_reason = reason
    annotation.save()
    emit(CHANGE_EVENTS.get(reason, "annotation.updated"), annotation_ids=[annotation.pk])
    return annotation


def _needs_fresh_review(annotation: Annotation) -> None:
    if annotation.status in (AnnotationStatus.APPROVED, AnnotationStatus.REJECTED):
        annotation.status = AnnotationStatus.PENDING
        annotation.reviewer, annotation.reviewed_at = None, None


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
    origin: str = Origin.HUMAN,
) -> Annotation:
    # The article as it is now, not as the caller last read it: its status may have moved.
    article = hold_article_text(article)
    check_can_annotate(user=author, article=article)
    label_row = get_label(label)
    span = anchor(article.text, start, end, quote, None)
    attrs = clean_attributes(label_row.kind, attributes)
    annotation = Annotation(
        article=article,
        revision_id=article.current_revision_id,
        label=label_row,
        start=span.start,
        end=span.end,
        quote=span.quote,
        prefix=span.prefix,
        suffix=span.suffix,
        attributes=attrs.stored,
        entity=attrs.entity,
        speaker=attrs.speaker,
        status=initial_status(origin),
        origin=origin,
        author=author,
    )
    annotation.full_clean(
        exclude=["article", "revision", "label", "author", "entity", "speaker"],
        validate_constraints=False,
    )
    annotation.save()
    emit("annotation.created", annotation_ids=[annotation.pk])
    return annotation


@transaction.atomic
def annotation_update(
    *, annotation: Annotation, user, version: Any, changes: Mapping[str, Any]
) -> Annotation:
    """Apply ``changes`` (label, start, end, quote, attributes) if ``version`` is current.

    The version check and the write happen under the row lock, so two editors saving at once
    cannot both win, and a new revision of the text (which re-anchors under the same locks and
    bumps every version) cannot interleave with an edit.
    """
    locked = locked_annotation(annotation, "label", "article")
    check_article_open(user=user, article=locked.article)
    if not roles.can_edit_annotation(user, locked):
        raise PermissionDenied("You can only edit your own pending annotations.")
    if isinstance(version, bool) or not isinstance(version, int):
        raise ValidationError({"version": "send the version you read (an integer)."})
    check_version(locked, version)

    label = get_label(changes["label"]) if "label" in changes else locked.label
    if any(key in changes for key in ("start", "end", "quote")):
        article = Article.objects.select_related("current_revision").get(pk=locked.article_id)
        span = anchor(
            article.text,
            changes.get("start", locked.start),
            changes.get("end", locked.end),
            changes.get("quote"),
            None,
        )
        locked.start, locked.end = span.start, span.end
        locked.quote, locked.prefix, locked.suffix = span.quote, span.prefix, span.suffix
        locked.revision_id = article.current_revision_id
        locked.anchor_state = Annotation.AnchorState.ANCHORED
    if "attributes" in changes or label.kind != locked.label.kind:
        # A change of kind starts the attributes afresh: a claim's verdict means nothing on a quote.
        attrs = clean_attributes(label.kind, changes.get("attributes", {}))
        locked.attributes, locked.entity, locked.speaker = attrs.stored, attrs.entity, attrs.speaker
    locked.label = label
    # A reviewed tag that changes needs a fresh review.
    _needs_fresh_review(locked)
    return save_change(locked, "edit")


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user, version: Any = None) -> None:
    """Soft delete: the row stays (recoverable, and visible to mirrors as a deletion)."""
    locked = locked_annotation(annotation, "label", "article")
    check_article_open(user=user, article=locked.article)
    if not roles.can_edit_annotation(user, locked):
        raise PermissionDenied("You can only delete your own pending annotations.")
    check_version(locked, version)
    locked.deleted_at = timezone.now()
    save_change(locked, "delete")


@transaction.atomic
def annotation_restore(*, annotation: Annotation, user) -> Annotation:
    """Bring a deleted annotation back, waiting for review again if it had been reviewed."""
    locked = locked_annotation(annotation, "article")
    check_article_open(user=user, article=locked.article)
    if not roles.is_editor(user) and not (
        locked.author_id == user.pk and roles.can_annotate_article(user, locked.article)
    ):
        raise PermissionDenied("Only an editor or the author can restore an annotation.")
    if locked.deleted_at is None:
        raise ValidationError({"deleted": "This annotation is not deleted."})
    locked.deleted_at = None
    _needs_fresh_review(locked)
    return save_change(locked, "restore")


@transaction.atomic
def annotation_purge(*, annotation: Annotation, user) -> None:
    """Remove an annotation for good, its relations with it (superusers only)."""
    if not user.is_superuser:
        raise PermissionDenied("Only a superuser can purge annotations.")
    Relation.objects.filter(source=annotation).delete()
    Relation.objects.filter(target=annotation).delete()
    Annotation.objects.filter(pk=annotation.pk).delete()
    # Gone for good: the delivery carries {"id", "deleted": true}.
    emit("annotation.deleted", annotation_ids=[annotation.pk])


@transaction.atomic
def annotation_review(
    *, annotation: Annotation, reviewer, approve: bool, note: str = "", version: Any = None
) -> Annotation:
    locked = locked_annotation(annotation, "article")
    if not roles.is_reviewer(reviewer):
        raise PermissionDenied("Only reviewers can approve or reject annotations.")
    check_article_open(user=reviewer, article=locked.article)
    if locked.deleted_at is not None:
        raise ValidationError({"status": "This annotation was deleted."})
    check_version(locked, version)
    if not approve and not note.strip():
        raise ValidationError({"note": "Say why the annotation is rejected."})
    locked.status = AnnotationStatus.APPROVED if approve else AnnotationStatus.REJECTED
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    locked.review_note = note.strip()
    return save_change(locked, "approve" if approve else "reject")


@transaction.atomic
def annotation_reset(*, annotation: Annotation, user) -> Annotation:
    """Send a reviewed annotation back to the queue."""
    if not roles.is_reviewer(user):
        raise PermissionDenied("Only reviewers can reset a review.")
    locked = locked_annotation(annotation, "article")
    check_article_open(user=user, article=locked.article)
    locked.status = AnnotationStatus.PENDING
    locked.reviewer, locked.reviewed_at, locked.review_note = None, None, ""
    return save_change(locked, "reset to pending")


@transaction.atomic
def suggestion_accept(*, annotation: Annotation, user) -> Annotation:
    locked = locked_annotation(annotation, "article")
    check_can_annotate(user=user, article=locked.article)
    if locked.deleted_at is not None:
        raise ValidationError({"status": "This suggestion was rejected (deleted)."})
    if not locked.is_suggestion:
        raise ValidationError(
            {"status": f"Only suggestions can be accepted; this one is {locked.status}."}
        )
    locked.status = AnnotationStatus.PENDING
    return save_change(locked, "accept suggestion")


@transaction.atomic
def relation_create(*, source: Annotation, target: Annotation, type: str, author) -> Relation:
    check_can_annotate(user=author, article=hold_article_text(source.article))
    if source.article_id != target.article_id:
        raise ValidationError({"target": "Both ends of a relation must be in the same article."})
    relation = Relation(
        article_id=source.article_id, source=source, target=target, type=type, author=author
    )
    relation.full_clean()
    try:
        with transaction.atomic():
            relation.save()
    except IntegrityError as error:
        # The same link made by someone else between the check above and this insert.
        raise ValidationError(
            {"non_field_errors": ["This link between the two annotations already exists."]}
        ) from error
    return relation


@transaction.atomic
def relations_bulk_create(
    *, article: Article, author, links: list[tuple[int, int, str]]
) -> list[Relation]:
    """Many links (source id, target id, type) between annotations of one article at once,
    each with its history row; for machine suggestions linking quotes to their speakers."""
    if not links:
        return []
    check_can_annotate(user=author, article=article)
    ends = {pk for source, target, _ in links for pk in (source, target)}
    found = set(
        Annotation.objects.filter(
            article=article, pk__in=ends, deleted_at__isnull=True
        ).values_list("id", flat=True)
    )
    if found != ends:
        raise ValidationError(
            {"links": "every end of a link must be a live annotation of the article."}
        )
    relations = Relation.objects.bulk_create(
        [
            Relation(article=article, source_id=source, target_id=target, type=kind, author=author)
            for source, target, kind in links
        ]
    )
    # bulk_create skips simple-history's signal; record the creations explicitly.
    Relation.history.bulk_history_create(relations, default_user=author)
    return relations


@transaction.atomic
def relation_delete(*, relation: Relation, user) -> None:
    check_can_annotate(user=user, article=Article.objects.get(pk=relation.article_id))
    if relation.author_id != user.pk and not roles.is_editor(user):
        raise PermissionDenied("You can only remove links you made.")
    relation.delete()
