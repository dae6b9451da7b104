"""Many annotations of one article at once, all or nothing: the bulk API, an article created
with its annotations, JSON Lines re-imports and machine suggestions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article

from ..anchoring import OffsetMap
from ..attributes import clean_attributes, referenced_entities
from ..choices import AnchorState, Origin
from ..webhooks.events import emit
from .annotations import active_labels, anchor, check_can_annotate, hold_article_text
from .annotations import initial_status as status_for
from .rows import Written, db_datetime, db_json, insert_annotations, record_history


class BulkErrors(Exception):
    """Some items of an all-or-nothing write were invalid; ``errors`` maps each item's index to
    its field errors, and nothing was written."""

    def __init__(self, errors: dict[str, Any], field: str = "items") -> None:
        super().__init__(f"{len(errors)} item(s) are invalid; nothing was saved.")
        self.errors = errors
        self.field = field


def _machine_fields(item: Mapping[str, Any]) -> tuple[float | None, str]:
    """A suggestion's confidence (0 to 1) and suggester name, checked."""
    confidence, suggester = item.get("confidence"), item.get("suggester", "")
    if confidence is not None and (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0 <= confidence <= 1
    ):
        raise ValidationError({"confidence": "must be a number from 0 to 1."})
    if not isinstance(suggester, str) or len(suggester) > 50:
        raise ValidationError({"suggester": "must be a name of at most 50 characters."})
    return (float(confidence) if confidence is not None else None), suggester


@transaction.atomic
def annotations_bulk_create(
    *,
    article: Article,
    author,
    items: Iterable[dict[str, Any]],
    raw_text: str | None = None,
    origin: str = Origin.HUMAN,
) -> Written:
    """Validate every item, then write them all in a few statements; return the new ids (and
    the values written) in item order. Any error names its item's index, and nothing is written.

    With ``raw_text`` the offsets were computed on the client's own copy of the text and are
    mapped through normalisation."""
    # The article as it is now, not as the caller last read it: its status may have moved.
    article = hold_article_text(article)
    check_can_annotate(user=author, article=article)
    items = list(items)
    offset_map = OffsetMap(raw_text) if raw_text is not None else None
    text = article.text
    labels, entities = active_labels(), referenced_entities(items)
    now = db_datetime(timezone.now())
    status = status_for(origin)
    fixed_head = (article.pk, article.current_revision_id)
    # Read once: ``author`` is often the request's lazy user, where every attribute read costs.
    author_id, label_ids = author.pk, {slug: label.pk for slug, label in labels.items()}
    rows: list[tuple] = []
    errors: dict[str, Any] = {}
    # The common item is bare (label, start, end): its kind's default attributes are made once,
    # not checked again per item.
    bare: dict[str, str] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[str(index)] = {"non_field_errors": ["must be a JSON object."]}
            continue
        try:
            slug = item.get("label")
            label = labels.get(slug) if isinstance(slug, str) else None
            if label is None:
                raise ValidationError(
                    {"label": f"unknown label {slug!r}; use one of: {', '.join(labels)}."}
                )
            span = anchor(text, item.get("start"), item.get("end"), item.get("quote"), offset_map)
            given = item.get("attributes")
            if not given and (given is None or isinstance(given, dict)):
                if label.kind not in bare:
                    bare[label.kind] = db_json(clean_attributes(label.kind, None).stored)
                stored, entity, speaker = bare[label.kind], None, None
            else:
                attrs = clean_attributes(label.kind, given, entities=entities)
                stored = db_json(attrs.stored)
                entity = attrs.entity.pk if attrs.entity else None
                speaker = attrs.speaker.pk if attrs.speaker else None
            confidence, suggester = (
                _machine_fields(item) if "confidence" in item or "suggester" in item else (None, "")
            )
        except ValidationError as error:
            errors[str(index)] = (
                error.message_dict if hasattr(error, "error_dict") else error.messages
            )
            continue
        rows.append(
            (
                *fixed_head,
                label_ids[slug],
                span.start,
                span.end,
                span.quote,
                span.prefix,
                span.suffix,
                stored,
                entity,
                speaker,
                status,
                origin,
                AnchorState.ANCHORED,
                author_id,
                None,  # reviewer
                None,  # reviewed_at
                "",  # review_note
                1,  # version
                now,
                now,
                None,  # deleted_at
                confidence,
                suggester,
            )
        )
    if errors:
        raise BulkErrors(errors)
    ids = insert_annotations(rows)
    record_history(ids, user=author, reason="bulk create", kind="create")
    emit("annotation.created", annotation_ids=ids)
    return Written(ids, rows)
