"""Suggests entity spans wherever the desk's own names appear: the name or an alias of a
canonical Entity, or a name editors confirmed in several articles (desk.py). What the team
confirmed is found again, in every article, linked to its Entity."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .base import Suggestion
from .context import Context

NAME = "known_entities"
# Shorter names ("EU" aside) match inside too many other words and acronyms.
MIN_LENGTH = 3


def suggest(context: Context) -> Iterator[Suggestion]:
    desk = context.desk
    names: dict[str, tuple[str, int | None, float]] = {}
    for entity in desk.entities:
        label = desk.label_for(entity.type)
        if label is None:
            continue
        for name in (entity.name, *entity.aliases):
            if len(name) >= MIN_LENGTH:
                names.setdefault(name, (label, entity.id, 0.9))
    for label, name in desk.confirmed.values():
        if len(name) >= MIN_LENGTH and label in desk.entity_labels:
            names.setdefault(name, (label, None, 0.8))
    if not names:
        return
    # Longest names first so "Claudia Sheinbaum" wins over "Sheinbaum" at the same place.
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?!\w)"
    )
    for match in pattern.finditer(context.text):
        label, entity_id, confidence = names[match.group(1)]
        if entity_id is None:
            link = desk.link(match.group(1), label)
            entity_id = link.entity_id if link else None
        attributes = {"entity": entity_id} if entity_id is not None else {}
        yield Suggestion(label, match.start(1), match.end(1), confidence, attributes, NAME)
