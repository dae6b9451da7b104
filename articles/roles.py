"""Who may do what: the one place the group rules of DESIGN.md live.

Pages, API permission classes and the admin all ask these functions, so a rule cannot hold in
one door and not in another.
"""

from __future__ import annotations

from typing import Any, Protocol


class Lockable(Protocol):
    """What the rules read of an article (the models import this module, not the reverse)."""

    is_locked: bool
    assignees: Any


ANNOTATOR = "Annotator"
EDITOR = "Editor"
REVIEWER = "Reviewer"
GROUPS = (ANNOTATOR, EDITOR, REVIEWER)


def group_names(user) -> frozenset[str]:
    if not user or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_newsdesk_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._newsdesk_groups = cached
    return cached


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or group_names(user)))


def is_editor(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or EDITOR in group_names(user))
    )


def is_reviewer(user) -> bool:
    return bool(
        user and user.is_authenticated and (user.is_superuser or REVIEWER in group_names(user))
    )


def reads_every_article(user) -> bool:
    """Editors, reviewers and superusers read every live article; annotators only some."""
    return is_editor(user) or is_reviewer(user)


def can_annotate(user) -> bool:
    names = group_names(user)
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or ANNOTATOR in names or EDITOR in names)
    )


def can_annotate_article(user, article: Lockable) -> bool:
    if not can_annotate(user):
        return False
    if not is_editor(user) and not is_assigned_or_open(user, article):
        return False
    # Published and archived articles are locked to everyone but editors.
    return not article.is_locked or is_editor(user)


def is_assigned_or_open(user, article: Lockable) -> bool:
    assignees = article.assignees.all()
    return not assignees.exists() or assignees.filter(pk=user.pk).exists()


def can_edit_annotation(user, annotation) -> bool:
    """``annotation``: an annotator Annotation (this layer knows only the properties it reads:
    ``article``, ``author_id``, ``is_suggestion``, ``awaits_review``)."""
    if is_editor(user):
        return True
    if annotation.is_suggestion:
        # Machine suggestions belong to nobody: anyone tagging the article may fix or drop them.
        return can_annotate_article(user, annotation.article)
    return (
        can_annotate_article(user, annotation.article)
        and annotation.author_id == user.pk
        and annotation.awaits_review
    )


def can_manage_articles(user) -> bool:
    return is_editor(user)
