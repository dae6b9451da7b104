"""Reads about an article's revisions: what changed between two of them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from .models import Article
from .textdiff import diff_texts


def _number(raw: str | None, name: str) -> int | None:
    if raw in (None, ""):
        return None
    try:
        number = int(raw)
    except ValueError:
        raise ValidationError({name: f"must be a revision number, not {raw!r}."}) from None
    if number < 1:
        raise ValidationError({name: "revision numbers start at 1."})
    return number


def revision_compare(
    *, article: Article, old: str | None = None, new: str | None = None
) -> dict[str, Any]:
    """The text diff from revision ``old`` to revision ``new`` of ``article`` (numbers as sent
    in a query; by default the current revision and the one before it), as hunks in text
    order with offsets into both texts and the text each side holds."""
    new_number = _number(new, "to")
    if new_number is None:
        new_number = article.current_revision.number
    old_number = _number(old, "from")
    if old_number is None:
        old_number = max(1, new_number - 1)
    texts = dict(
        article.revisions.filter(number__in={old_number, new_number}).values_list("number", "text")
    )
    for number in (old_number, new_number):
        if number not in texts:
            raise Http404(f"Article {article.pk} has no revision {number}.")
    old_text, new_text = texts[old_number], texts[new_number]
    diff = diff_texts(old_text, new_text)
    hunks = []
    for hunk in diff.hunks():
        item: dict[str, Any] = {
            "op": hunk.op,
            "old_start": hunk.old_start,
            "old_end": hunk.old_end,
            "new_start": hunk.new_start,
            "new_end": hunk.new_end,
        }
        if hunk.op == "equal":
            item["text"] = old_text[hunk.old_start : hunk.old_end]
        else:
            item["old_text"] = old_text[hunk.old_start : hunk.old_end]
            item["new_text"] = new_text[hunk.new_start : hunk.new_end]
            item["moved"] = hunk.moved
        hunks.append(item)
    return {"from": old_number, "to": new_number, **diff.counts(), "hunks": hunks}
