"""Machine suggestions: each suggester proposes spans; they are stored as `suggested`
annotations with origin `machine`, for a person to accept or reject.

The suggesters are the modules named in ``settings.SUGGESTERS``, run in that order over one
shared Context (base.py describes the interface). What the desk already has or decided (desk.py)
filters what they propose, and store.py writes the rest.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from articles.models import Article

from ..services import check_can_annotate
from .base import Disjoint, Suggestion
from .context import Context, Suggester
from .desk import Desk
from .store import save_suggestions


@cache
def _load(path: str) -> Suggester:
    module = import_module(path)
    if not callable(getattr(module, "suggest", None)) or not getattr(module, "NAME", ""):
        raise ImproperlyConfigured(f"Suggester {path!r} needs NAME and suggest(context).")
    return module


def suggesters() -> list[Suggester]:
    """The configured suggesters, in order (each module imported once per process)."""
    return [_load(path) for path in settings.SUGGESTERS]


def propose(context: Context) -> list[Suggestion]:
    """Run every suggester over the context; what the desk does not want is dropped, and a
    span overlapping one already proposed for the same kind is not proposed."""
    desk = context.desk
    taken: dict[str, Disjoint] = defaultdict(Disjoint)
    for suggester in suggesters():
        for suggestion in suggester.suggest(context):
            suggestion.suggester = suggestion.suggester or suggester.NAME
            kind = desk.label_kinds.get(suggestion.label)
            if kind is None:
                # A label the newsroom removed or switched off is not suggested.
                continue
            quote = context.text[suggestion.start : suggestion.end]
            if not desk.allows(suggestion, kind, quote):
                continue
            if taken[kind].overlaps(suggestion.start, suggestion.end):
                continue
            taken[kind].add(suggestion.start, suggestion.end)
            context.found.append(suggestion)
    return context.found


def run_suggesters(*, article: Article, user) -> list[int]:
    """Run every suggester on the article and store what it proposes (the new annotations'
    ids, in the order proposed); running it again adds nothing already suggested, accepted or
    rejected."""
    check_can_annotate(user=user, article=article)
    desk = Desk.for_article(article)
    context = Context(text=article.text, language=article.language, desk=desk)
    found = propose(context)
    return save_suggestions(
        article=article,
        user=user,
        suggestions=found,
        existing=desk.article_spans,
        kinds=desk.label_kinds,
    )
