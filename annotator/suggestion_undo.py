"""Undoing an accepted suggestion: the annotation page's undo of "accept" needs the exact
inverse, a pending tag back to the suggestion it was, which no other write offers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import roles
from .models import Annotation
from .services import VersionConflict


@transaction.atomic
def suggestion_unaccept(*, annotation: Annotation, user, version: Any = None) -> Annotation:
    """Turn an accepted machine suggestion (pending, not reviewed) back into a suggestion.

    Who may accept may take it back; a tag a reviewer has decided on, or one a person made,
    is not a suggestion to return to.
    """
    locked = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("article")
        .get(pk=annotation.pk)
    )
    if not roles.can_annotate_article(user, locked.article):
        raise PermissionDenied("You cannot annotate this article.")
    if locked.deleted_at is not None:
        raise ValidationError({"status": "This annotation was deleted."})
    if locked.origin != Annotation.Origin.MACHINE or locked.status != Annotation.Status.PENDING:
        raise ValidationError(
            {"status": "Only an accepted machine suggestion that awaits review can go back."}
        )
    if version is not None and version != locked.version:
        raise VersionConflict(locked, version)
    locked.status = Annotation.Status.SUGGESTED
    locked.version += 1
    locked._change_reason = "undo accept suggestion"
    locked.save()
    return locked
