"""Every vocabulary of the annotation side, once: the models, the API's validation and schema,
the exports and the page's choice lists all read them from here."""

from django.db import models


class Kind(models.TextChoices):
    CLAIM = "claim", "Claim"
    QUOTE = "quote", "Quote"
    ENTITY = "entity", "Entity"


class EntityType(models.TextChoices):
    PERSON = "person", "Person"
    ORGANIZATION = "organization", "Organization"
    LOCATION = "location", "Location"
    EVENT = "event", "Event"
    OTHER = "other", "Other"


class AnnotationStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Origin(models.TextChoices):
    HUMAN = "human", "Human"
    MACHINE = "machine", "Machine"


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    MOVED = "moved", "Moved"
    ORPHANED = "orphaned", "Orphaned"


class RelationType(models.TextChoices):
    SPOKEN_BY = "spoken_by", "spoken by"
    ABOUT = "about", "about"
    SOURCE = "source", "source"


class Attribution(models.TextChoices):
    DIRECT = "direct", "Direct"
    INDIRECT = "indirect", "Indirect"
    PARAPHRASE = "paraphrase", "Paraphrase"


class FactCheckState(models.TextChoices):
    UNCHECKED = "unchecked", "Unchecked"
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked"


class CheckWorthiness(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NONE = "none", "None"


class Verdict(models.TextChoices):
    """The rating scale most fact-check desks publish; ClaimReview carries it as alternateName."""

    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    HALF_TRUE = "half_true", "Half true"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    MISLEADING = "misleading", "Misleading"
    UNPROVEN = "unproven", "Unproven"


# schema.org Rating.ratingValue on a 1 (false) to 5 (true) scale.
VERDICT_RATINGS = {
    Verdict.TRUE: 5,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.HALF_TRUE: 3,
    Verdict.MISLEADING: 2,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.FALSE: 1,
    Verdict.UNPROVEN: 3,
}
