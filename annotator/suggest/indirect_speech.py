"""Suggests reported speech ("Smith said that the plan had failed", "Sheinbaum dijo que …") as
quotes with ``attribution: indirect``, where the speaker is clear: the sentence opens with a
named person (or a role the story gave one) and a speech verb, and holds no quotation marks
(those are direct quotes, quotations.py). The span is what was reported, after the verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..sentences import sentence_ends
from .attribution import subject_before, tokenize
from .base import Suggestion
from .context import Context
from .quotations import people_of

NAME = "indirect_speech"

# "X said (on Tuesday) that …", "X told reporters that …", "X dijo que …"
_REPORTED = re.compile(
    r"\b(?P<verb>said|says|told\s+(?:\w+\s+){0,3}?|argued|warned|claimed|insisted|added|"
    r"stated|announced|acknowledged|admitted|explained|noted|denied|dijo|afirmó|aseguró|"
    r"declaró|señaló|explicó|advirtió|sostuvo|indicó)"
    r"(?:\s+(?:on|in|at|last|this)\s+[\w.]+(?:\s+[\w.]+)?)?,?\s+(?P<that>that|que)\s+"
)
_MARKS = set('“”"«»„')
MIN_WORDS = 5


def suggest(context: Context) -> Iterator[Suggestion]:
    text = context.text
    people = None
    start = 0
    for end in [*sentence_ends(text), len(text)]:
        s, e = start, end
        start = end
        sentence = text[s:e]
        if any(mark in sentence for mark in _MARKS):
            continue
        match = _REPORTED.search(sentence)
        if match is None:
            continue
        if people is None:
            people = people_of(context)
        words = tokenize(text, s, s + match.start("verb"))
        # Only a subject that opens the sentence ("Smith said …", "In Ohio, Smith said …").
        if not words or len(words) > 12:
            continue
        found = subject_before(text, words, people)
        if found is None or not found.speaker_name or found.speaker_at is None:
            continue
        clause_start = s + match.end()
        clause_end = e
        while clause_end > clause_start and text[clause_end - 1] in " \n.;":
            clause_end -= 1
        if len(re.findall(r"\w+", text[clause_start:clause_end])) < MIN_WORDS:
            continue
        attributes = {"attribution": "indirect", "speaker_name": found.speaker_name[:300]}
        link = context.desk.link(found.speaker_name, context.desk.label_for("person") or "person")
        if link is not None:
            attributes["speaker"] = link.entity_id
        yield Suggestion("quote", clause_start, clause_end, 0.6, attributes, NAME, found.speaker_at)
