"""The article workflow: which status may follow which, and who may move it. One place.

What else must hold before a move (no annotation awaiting review before publishing) is the
annotation layer's to say: it passes ``check`` (see annotator.services.article_set_status).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import roles
from .models import Article

S = Article.Status

# (from, to) -> who may make the move
TRANSITIONS = {
    (S.DRAFT, S.ANNOTATING): roles.is_editor,
    (S.ANNOTATING, S.IN_REVIEW): roles.is_editor,
    (S.IN_REVIEW, S.ANNOTATING): lambda user: roles.is_editor(user) or roles.is_reviewer(user),
    (S.IN_REVIEW, S.PUBLISHED): roles.is_editor,
    (S.PUBLISHED, S.ANNOTATING): roles.is_editor,
    (S.DRAFT, S.ARCHIVED): roles.is_editor,
    (S.ANNOTATING, S.ARCHIVED): roles.is_editor,
    (S.IN_REVIEW, S.ARCHIVED): roles.is_editor,
    (S.PUBLISHED, S.ARCHIVED): roles.is_editor,
    (S.ARCHIVED, S.DRAFT): roles.is_editor,
}


def allowed_next(article: Article, user) -> list[str]:
    return [to for (frm, to), may in TRANSITIONS.items() if frm == article.status and may(user)]


@transaction.atomic
def article_set_status(
    *, article: Article, user, status: str, check: Callable[[Article, str], None] | None = None
) -> Article:
    """Move ``article`` to ``status``; ``check(article, status)`` may refuse the move with a
    ValidationError after the transition itself was found allowed."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if status == article.status:
        return article
    may = TRANSITIONS.get((article.status, status))
    if may is None:
        raise ValidationError(
            {
                "status": f"An article cannot go from {article.status} to {status}; "
                f"from {article.status} it can go to: {', '.join(to for (frm, to) in TRANSITIONS if frm == article.status)}."
            }
        )
    if not may(user):
        raise PermissionDenied(f"You cannot move an article from {article.status} to {status}.")
    if check is not None:
        check(article, status)
    article.status = status
    article.updated_by = user
    article.save(update_fields=["status", "updated_by", "updated_at"])
    return article
