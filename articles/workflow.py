"""The article workflow: which status may follow which, and who may move it. One place."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotator import roles
from annotator.models import Annotation

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
def article_set_status(*, article: Article, user, status: str) -> Article:
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
    if status == S.PUBLISHED:
        unreviewed = Annotation.objects.filter(
            article=article,
            deleted_at__isnull=True,
            status__in=[Annotation.Status.PENDING, Annotation.Status.SUGGESTED],
        ).count()
        if unreviewed:
            raise ValidationError(
                {
                    "status": f"{unreviewed} annotation(s) still await review; approve or reject them before publishing."
                }
            )
    article.status = status
    article.updated_by = user
    article.save(update_fields=["status", "updated_by", "updated_at"])
    return article
