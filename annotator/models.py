from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


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


class Label(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind)
    entity_type = models.CharField(max_length=20, choices=EntityType, blank=True)
    color = models.CharField(
        max_length=7,
        default="#888888",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour like #1f77b4.")],
    )
    shortcut = models.CharField(max_length=1, blank=True, help_text="One key, e.g. c")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=Kind.ENTITY) & ~Q(entity_type=""))
                | (~Q(kind=Kind.ENTITY) & Q(entity_type="")),
                name="label_entity_type_iff_entity",
            ),
            models.UniqueConstraint(
                fields=["shortcut"], condition=~Q(shortcut=""), name="label_shortcut_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Entity(models.Model):
    """The canonical person, organisation, place or event that entity spans refer to."""

    name = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=EntityType)
    aliases = models.JSONField(default=list, blank=True)
    wikidata_qid = models.CharField(
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q42.")],
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "entities"
        indexes = [models.Index(fields=["name"], name="entity_name")]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_qid"], condition=~Q(wikidata_qid=""), name="entity_qid_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class AnnotationQuerySet(models.QuerySet):
    def alive(self) -> "AnnotationQuerySet":
        return self.filter(deleted_at__isnull=True)


class Annotation(models.Model):
    class Status(models.TextChoices):
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

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations"
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision", on_delete=models.PROTECT, related_name="annotations"
    )
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="annotations")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField()
    prefix = models.CharField(max_length=32, blank=True)
    suffix = models.CharField(max_length=32, blank=True)
    # Per-kind attributes (attribution type, verdict, ...); links to entities live in the
    # foreign keys below so "every quote by X" is an indexed query.
    attributes = models.JSONField(default=dict, blank=True)
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentions"
    )
    speaker = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    origin = models.CharField(max_length=10, choices=Origin, default=Origin.HUMAN)
    anchor_state = models.CharField(
        max_length=10, choices=AnchorState, default=AnchorState.ANCHORED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_annotations",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_nonnegative"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="annotation_end_after_start"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
        ]
        indexes = [
            models.Index(fields=["article", "start"], name="annotation_article_start"),
            models.Index(fields=["status", "created_at"], name="annotation_status_created"),
            models.Index(fields=["updated_at"], name="annotation_updated"),
            models.Index(fields=["label", "status"], name="annotation_label_status"),
            models.Index(fields=["author", "created_at"], name="annotation_author_created"),
        ]

    def __str__(self) -> str:
        return f"{self.label_id}: {self.quote[:60]}"

    @property
    def kind(self) -> str:
        return self.label.kind


class Relation(models.Model):
    class Type(models.TextChoices):
        SPOKEN_BY = "spoken_by", "spoken by"
        ABOUT = "about", "about"
        SOURCE = "source", "source"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="relations"
    )
    source = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="relations_in")
    type = models.CharField(max_length=20, choices=Type)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "type"], name="relation_unique_per_type"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="relation_not_to_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.type} {self.target_id}"
