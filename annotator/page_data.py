"""What the annotation page and the review queue are given to draw themselves: the user's
permissions, asked of the same rules the API enforces (roles.py), and the choice lists, taken
from the Python that defines them, so the page's script holds no copy of either."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils import timezone

from articles import roles
from articles.models import Article

from . import selectors
from .attributes import VERDICT_NEEDS_STATE
from .choices import AnnotationStatus, Attribution, CheckWorthiness, FactCheckState, Kind, Verdict
from .edits import Outcome
from .models import Annotation

# Outcomes an editor should look at after an edit; "kept" tags need nothing.
NOTICE_OUTCOMES = (Outcome.MOVED, Outcome.CHANGED, Outcome.ORPHANED)


def choice_list(choices: type[models.TextChoices]) -> list[list[str]]:
    """[[value, what a person reads], ...] in the order the vocabulary defines."""
    return [[value, str(name)] for value, name in choices.choices]


def page_choices() -> dict[str, Any]:
    return {
        "attribution_types": choice_list(Attribution),
        "fact_check_states": choice_list(FactCheckState),
        "check_worthiness": choice_list(CheckWorthiness),
        "verdicts": choice_list(Verdict),
        "verdict_needs_state": VERDICT_NEEDS_STATE,
        "statuses": choice_list(AnnotationStatus),
        "kinds": choice_list(Kind),
        "reject_reasons": reject_reasons(),
    }


def reject_reasons() -> list[str]:
    """The desk's preset reasons for rejecting a tag (settings.REVIEW_REJECT_REASONS)."""
    return [str(reason) for reason in settings.REVIEW_REJECT_REASONS]


def page_permissions(user, article: Article) -> dict[str, Any]:
    """Which tags this user may change on this article, as a table the page reads.

    ``roles.can_edit_annotation`` is asked about a tag of every status, the user's own and
    someone else's, so the page offers a control exactly where the API would accept it; no rule
    is written down twice.
    """
    # The rules ask the article's assignees each time; read them once for all the questions.
    prefetch_related_objects([article], "assignees")
    can_annotate = roles.can_annotate_article(user, article)
    edit: dict[str, list[str]] = {"own": [], "others": []}
    for status in AnnotationStatus.values:
        for whose, author_id in (("own", user.pk), ("others", None)):
            probe = Annotation(article=article, author_id=author_id, status=status)
            if roles.can_edit_annotation(user, probe):
                edit[whose].append(status)
    return {
        "annotate": can_annotate,
        # Accepting a suggestion and running the suggesters write as annotating does.
        "accept": can_annotate,
        "suggest": can_annotate,
        "review": roles.is_reviewer(user),
        "edit": edit,
        # annotation_restore: editors restore anyone's tag, others their own.
        "restore": {"own": True, "others": roles.is_editor(user)},
    }


def revision_notice(article: Article) -> dict[str, Any] | None:
    """What the latest edit of the text did to the tags, for the page's revision notice: the
    revision's summary and the tags it moved, changed or orphaned (``[id, outcome, what
    changed]``), or None when there is nothing to say (the first text, or an edit that kept
    every tag where its words were). One query, and only when there is something to say;
    ``current_revision__created_by`` should be selected with the article."""
    revision = article.current_revision
    summary = revision.anchoring if revision else None
    if not summary or not any(summary.get(outcome, 0) for outcome in NOTICE_OUTCOMES):
        return None
    return {
        "number": revision.number,
        "by": revision.created_by.get_username() if revision.created_by else None,
        # The day as the newsroom's clock has it, the way the page prints dates.
        "date": timezone.localdate(revision.created_at).isoformat(),
        "summary": {outcome.value: summary.get(outcome.value, 0) for outcome in Outcome},
        "tags": [list(row) for row in selectors.reanchored_tags(revision)],
    }
