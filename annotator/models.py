from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .choices import AnchorState, AnnotationStatus, EntityType, Kind, Origin, RelationType


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
    # The vocabularies live in choices.py; here too for readable call sites.
    Status = AnnotationStatus
    Origin = Origin
    AnchorState = AnchorState

    # Every index costs each write of a span, and bulk loads write thousands: the article's own
    # index is the text-order one below; the revision is looked up only when one is purged.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="annotations", db_index=False
    )
    revision = models.ForeignKey(
        "articles.ArticleRevision",
        on_delete=models.PROTECT,
        related_name="annotations",
        db_index=False,
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
    # Indexed where set (Meta.indexes): most spans link to nothing.
    entity = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mentions",
        db_index=False,
    )
    speaker = models.ForeignKey(
        Entity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        db_index=False,
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
        db_index=False,
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Machine suggestions only: how sure the suggester was, and which one it was.
    confidence = models.FloatField(null=True, blank=True)
    suggester = models.CharField(max_length=50, blank=True)

    # History is read per annotation, per article and by date; other indexes would only slow
    # every write.
    history = HistoricalRecords(
        no_db_index=["author", "reviewer", "revision", "label", "entity", "speaker"]
    )
    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_nonnegative"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="annotation_end_after_start"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="annotation_confidence_0_to_1",
            ),
        ]
        indexes = [
            # Reads of an article's live spans are in text order: the index gives it unsorted,
            # and counts the live spans of articles without reading the (wide) rows. With the
            # version it also gives each article's state (assembly.article_states) alone.
            models.Index(
                fields=["article", "deleted_at", "start", "end", "id", "version"],
                name="annotation_text_order",
            ),
            # The moderation queue: live spans of a status, oldest first.
            models.Index(
                fields=["status", "deleted_at", "created_at", "article"],
                name="annotation_status_queue",
            ),
            # Mirrors and the page's polling ask for what changed since a moment.
            models.Index(fields=["updated_at"], name="annotation_updated"),
            # Partial indexes: only the few rows they name are in them, so the many spans a
            # bulk load writes cost them nothing.
            models.Index(
                fields=["article"],
                condition=Q(anchor_state=AnchorState.ORPHANED),
                name="annotation_orphaned",
            ),
            models.Index(
                fields=["entity"], condition=Q(entity__isnull=False), name="annotation_entity"
            ),
            models.Index(
                fields=["speaker"], condition=Q(speaker__isnull=False), name="annotation_speaker"
            ),
            models.Index(
                fields=["reviewer"], condition=Q(reviewer__isnull=False), name="annotation_reviewer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label_id}: {self.quote[:60]}"

    @property
    def kind(self) -> str:
        return self.label.kind

    @property
    def is_suggestion(self) -> bool:
        return self.status == AnnotationStatus.SUGGESTED

    @property
    def awaits_review(self) -> bool:
        return self.status in (AnnotationStatus.PENDING, AnnotationStatus.SUGGESTED)


class Relation(models.Model):
    Type = RelationType

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
