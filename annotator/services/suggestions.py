"""Undoing an accepted suggestion: the annotation page's undo of "accept" needs the exact
inverse, a pending tag back to the suggestion it was, which no other write offers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..choices import AnnotationStatus, Origin
from ..models import Annotation
from .annotations import check_can_annotate, check_version, locked_annotation, save_change


@transaction.atomic
def suggestion_unaccept(*, annotation: Annotation, user, version: Any = None) -> Annotation:
    """Turn an accepted machine suggestion (pending, not reviewed) back into a suggestion.

    Who may accept may take it back; a tag a reviewer has decided on, or one a person made,
    is not a suggestion to return to.
    """
    locked = locked_annotation(annotation, "article")
    check_can_annotate(user=user, article=locked.article)
    if locked.deleted_at is not None:
        raise ValidationError({"status": "This annotation was deleted."})
    if locked.origin != Origin.MACHINE or locked.status != AnnotationStatus.PENDING:
        raise ValidationError(
            {"status": "Only an accepted machine suggestion that awaits review can go back."}
        )
    check_version(locked, version)
    locked.status = AnnotationStatus.SUGGESTED
    return save_change(locked, "undo accept suggestion")
