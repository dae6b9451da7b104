"""Suggests direct quotes: text between quotation marks, long enough to be speech."""

import re

# Curly, straight and guillemet quotes; the span excludes the marks themselves.
_QUOTED = re.compile(r"“([^”\n]{12,})”|\"([^\"\n]{12,})\"|«\s?([^»\n]{12,}?)\s?»")


def suggest(text: str) -> list[dict]:
    items = []
    for match in _QUOTED.finditer(text):
        group = next(i for i in (1, 2, 3) if match.group(i) is not None)
        items.append(
            {
                "label": "quote",
                "start": match.start(group),
                "end": match.end(group),
                "attributes": {"attribution": "direct"},
            }
        )
    return items
