"""The labels and groups every installation starts with.

Used by the data migration (with its historical models) and by the browser tests, whose
transactional flushes empty the tables the migration filled.
"""

from articles.roles import GROUPS

LABELS = [
    # slug, name, kind, entity_type, colour, key, description
    ("claim", "Claim", "claim", "", "#f2b134", "c", "A checkable statement of fact."),
    ("quote", "Quote", "quote", "", "#7a5cc7", "q", "Words attributed to a speaker."),
    ("person", "Person", "entity", "person", "#1f77b4", "p", "A named person."),
    (
        "organization",
        "Organization",
        "entity",
        "organization",
        "#2ca02c",
        "o",
        "A company, agency, party, group.",
    ),
    ("location", "Location", "entity", "location", "#d62728", "l", "A country, city, place."),
    ("event", "Event", "entity", "event", "#8c564b", "e", "A named event."),
    ("other", "Other", "entity", "other", "#7f7f7f", "x", "Another named thing."),
]


def create_defaults(label_model, group_model) -> None:
    for order, (slug, name, kind, entity_type, color, key, description) in enumerate(LABELS):
        label_model.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "entity_type": entity_type,
                "color": color,
                "shortcut": key,
                "description": description,
                "order": order,
            },
        )
    for name in GROUPS:  # Annotator, Editor, Reviewer
        group_model.objects.get_or_create(name=name)
