"""Per-kind annotation attributes: what each kind may carry and how it is checked.

The API shows links to entities inside ``attributes`` (``entity`` for an entity span,
``speaker`` for a quote); they are stored as foreign keys so they can be queried, and the rest
stays in the JSON column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .choices import VERDICT_RATINGS, Attribution, CheckWorthiness, FactCheckState, Kind, Verdict
from .models import Entity

ATTRIBUTION_TYPES = tuple(Attribution.values)
FACT_CHECK_STATES = tuple(FactCheckState.values)
CHECK_WORTHINESS = tuple(CheckWorthiness.values)
VERDICTS = tuple(Verdict.values)
# The fact-check state a verdict belongs to.
VERDICT_NEEDS_STATE = FactCheckState.CHECKED.value
__all__ = ["VERDICT_RATINGS", "clean_attributes", "referenced_entities"]

_FIELDS = {
    Kind.QUOTE: {"speaker", "speaker_name", "attribution"},
    Kind.CLAIM: {"check_worthiness", "fact_check_state", "verdict", "verdict_note", "sources"},
    Kind.ENTITY: {"entity"},
}


@dataclass(frozen=True)
class CleanAttributes:
    stored: dict[str, Any]
    entity: Entity | None
    speaker: Entity | None


def _choice(attrs: dict, key: str, choices: tuple[str, ...], errors: dict, default=None):
    value = attrs.get(key, default)
    if value is None or value == "":
        return default
    if value not in choices:
        errors[key] = f"must be one of {', '.join(choices)}; got {value!r}."
    return value


def _entity(
    attrs: dict, key: str, errors: dict, known: Mapping[int, Entity] | None
) -> Entity | None:
    value = attrs.get(key)
    if value in (None, ""):
        return None
    if isinstance(value, dict):
        value = value.get("id")
    if isinstance(value, bool) or not isinstance(value, int):
        errors[key] = f"must be an entity id (integer) or null; got {value!r}."
        return None
    entity = known.get(value) if known is not None else Entity.objects.filter(pk=value).first()
    if entity is None:
        errors[key] = f"entity {value} does not exist."
    return entity


def referenced_entities(items: Iterable[Any]) -> dict[int, Entity]:
    """Every entity the items' attributes name, in one query, for clean_attributes."""
    ids = set()
    # Items come parsed from JSON: dicts (a Mapping check costs an ABC lookup per item).
    for item in items:
        attributes = item.get("attributes") if isinstance(item, dict) else None
        if not attributes or not isinstance(attributes, dict):
            continue
        for key in ("entity", "speaker"):
            value = attributes.get(key)
            if isinstance(value, dict):
                value = value.get("id")
            if isinstance(value, int) and not isinstance(value, bool):
                ids.add(value)
    return Entity.objects.in_bulk(ids) if ids else {}


def clean_attributes(
    kind: str, attributes: Any, *, entities: Mapping[int, Entity] | None = None
) -> CleanAttributes:
    """Validate ``attributes`` for an annotation of ``kind``; raises ValidationError naming the
    offending key."""
    if not attributes and (attributes is None or isinstance(attributes, dict)):
        # Most spans of a bulk load come bare: their defaults, worked out once per kind.
        if kind not in _DEFAULTS:
            _DEFAULTS[kind] = _clean(kind, {}, entities)
        default = _DEFAULTS[kind]
        return CleanAttributes(stored=dict(default.stored), entity=None, speaker=None)
    return _clean(kind, attributes, entities)


_DEFAULTS: dict[str, CleanAttributes] = {}


def _clean(kind: str, attributes: Any, entities: Mapping[int, Entity] | None) -> CleanAttributes:
    if not isinstance(attributes, dict):
        raise ValidationError({"attributes": "must be a JSON object."})
    unknown = set(attributes) - _FIELDS[kind]
    if unknown:
        raise ValidationError(
            {
                "attributes": f"unknown for a {kind}: {', '.join(sorted(unknown))}. "
                f"Allowed: {', '.join(sorted(_FIELDS[kind]))}."
            }
        )
    errors: dict[str, str] = {}
    stored: dict[str, Any] = {}
    entity = speaker = None
    if kind == Kind.QUOTE:
        speaker = _entity(attributes, "speaker", errors, entities)
        name = attributes.get("speaker_name", "")
        if not isinstance(name, str) or len(name) > 300:
            errors["speaker_name"] = "must be text of at most 300 characters."
        elif name.strip():
            stored["speaker_name"] = name.strip()
        stored["attribution"] = _choice(
            attributes, "attribution", ATTRIBUTION_TYPES, errors, Attribution.DIRECT.value
        )
    elif kind == Kind.CLAIM:
        worth = _choice(attributes, "check_worthiness", CHECK_WORTHINESS, errors)
        if worth:
            stored["check_worthiness"] = worth
        stored["fact_check_state"] = _choice(
            attributes,
            "fact_check_state",
            FACT_CHECK_STATES,
            errors,
            FactCheckState.UNCHECKED.value,
        )
        verdict = _choice(attributes, "verdict", VERDICTS, errors)
        if verdict:
            # A verdict is the outcome of a finished check: sent alone it says the check is
            # done; sent with another state it contradicts it.
            if "fact_check_state" not in attributes:
                stored["fact_check_state"] = VERDICT_NEEDS_STATE
            elif stored["fact_check_state"] != VERDICT_NEEDS_STATE:
                errors["verdict"] = (
                    f"a verdict needs fact_check_state {VERDICT_NEEDS_STATE!r} (it is "
                    f"{stored['fact_check_state']!r}); finish the check or send no verdict."
                )
            stored["verdict"] = verdict
        note = attributes.get("verdict_note", "")
        if not isinstance(note, str) or len(note) > 5000:
            errors["verdict_note"] = "must be text of at most 5000 characters."
        elif note:
            stored["verdict_note"] = note
        sources = attributes.get("sources", [])
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            errors["sources"] = "must be a list of URLs."
        else:
            validate_url = URLValidator(schemes=["http", "https"])
            for source in sources:
                try:
                    validate_url(source)
                except ValidationError:
                    errors["sources"] = f"{source!r} is not an http(s) URL."
            if sources:
                stored["sources"] = sources
    else:
        entity = _entity(attributes, "entity", errors, entities)
    if errors:
        raise ValidationError({f"attributes.{key}": message for key, message in errors.items()})
    return CleanAttributes(stored=stored, entity=entity, speaker=speaker)
