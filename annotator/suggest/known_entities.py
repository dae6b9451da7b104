"""Suggests entity spans where the name or an alias of a known Entity appears."""

import re

from ..models import Entity


def suggest(text: str) -> list[dict]:
    names: dict[str, Entity] = {}
    for entity in Entity.objects.only("id", "name", "type", "aliases"):
        for name in [entity.name, *entity.aliases]:
            if len(name) >= 3:
                names.setdefault(name, entity)
    if not names:
        return []
    # Longest names first so "Claudia Sheinbaum" wins over "Sheinbaum" at the same place.
    pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?!\w)"
    )
    items = []
    for match in pattern.finditer(text):
        entity = names[match.group(1)]
        items.append(
            {
                # The default entity labels are named after the entity types.
                "label": entity.type,
                "start": match.start(1),
                "end": match.end(1),
                "attributes": {"entity": entity.pk},
            }
        )
    return items
