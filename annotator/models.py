from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.module_loading import import_string
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

    def save(self, *args, **kwargs):
        before = (
            Label.objects.filter(pk=self.pk).values("slug", "kind").first() if self.pk else None
        )
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if before and before["kind"] != self.kind:
                # A span's rendered attributes depend on its label's kind (entity or speaker).
                self.annotations.update()
            if before and before != {"slug": self.slug, "kind": self.kind}:
                ArticleAnnotationsCache.clear_all()


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


class RenderedField(models.BinaryField):
    """Bytes derived from the rest of its row, rendered on every save and bulk create (like
    ``auto_now``) by the function at the dotted path ``renderer``. Bytes, not text: they go
    to the client as they are, without decoding and encoding them on every read.

    Declare it after every field it reads: fields are prepared for saving in declaration
    order, so the timestamps are already set when it renders.
    """

    def __init__(self, *args, renderer: str, **kwargs) -> None:
        self.renderer = renderer
        kwargs.setdefault("null", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["renderer"] = self.renderer
        return name, path, args, kwargs

    def render(self, instance) -> bytes:
        return import_string(self.renderer)(instance)

    def pre_save(self, model_instance, add):
        if not isinstance(model_instance, Annotation):
            # A migration's historical model: left empty, rendered when first read.
            return None
        value = self.render(model_instance)
        setattr(model_instance, self.attname, value)
        return value


class AnnotationQuerySet(models.QuerySet):
    def alive(self) -> "AnnotationQuerySet":
        return self.filter(deleted_at__isnull=True)

    def _article_ids(self) -> list[int]:
        return list(self.order_by().values_list("article_id", flat=True).distinct())

    def update(self, **kwargs):
        # An update() changes rows without rendering them: it clears their rendered parts,
        # and the next read renders them again (representation.refresh_rendered).
        for name in Annotation.RENDERED:
            kwargs.setdefault(name, None)
        with transaction.atomic(using=self.db, savepoint=False):
            articles = self._article_ids()
            count = super().update(**kwargs)
            ArticleAnnotationsCache.clear(articles)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            # Bulk loads (imports, suggestions, the bulk API) touch many spans of an article at
            # once: its cache is assembled again right after, not by the next reader.
            ArticleAnnotationsCache.clear({obj.article_id for obj in objs}, warm=True)
        return created

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            articles = self._article_ids()
            deleted = super().delete()
            ArticleAnnotationsCache.clear(articles)
        return deleted

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        for obj in objs:
            for name in Annotation.RENDERED:
                field = obj._meta.get_field(name)
                setattr(obj, name, field.render(obj))
        fields = [*fields, *(name for name in Annotation.RENDERED if name not in fields)]
        return super().bulk_update(objs, fields, batch_size=batch_size)


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
    # The annotation's part of every read, ready-made (see representation.py); last, so
    # every field it renders is set first.
    rendered_json = RenderedField(renderer="annotator.representation.render_json")
    rendered_csv = RenderedField(renderer="annotator.representation.render_csv")

    RENDERED = ("rendered_json", "rendered_csv")

    history = HistoricalRecords(excluded_fields=RENDERED)
    objects = AnnotationQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "end", "id"]
        # Django's own updates (an entity's deletion setting links to NULL) go through the
        # base manager: ours, so they clear the rendered parts too.
        base_manager_name = "objects"
        constraints = [
            models.CheckConstraint(condition=Q(start__gte=0), name="annotation_start_nonnegative"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="annotation_end_after_start"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_positive"),
        ]
        indexes = [
            # Reads of an article's live spans are in text order: the index gives it unsorted,
            # and counts the live spans of articles without reading the (wide) rows.
            models.Index(
                fields=["article", "deleted_at", "start", "end", "id"],
                name="annotation_text_order",
            ),
            # Exports leave orphaned spans out; they are few, so finding them must be cheap.
            models.Index(
                fields=["anchor_state", "article", "deleted_at"], name="annotation_anchor_state"
            ),
            # The moderation queue: live spans of a status, oldest first.
            models.Index(
                fields=["status", "deleted_at", "created_at", "article"],
                name="annotation_status_queue",
            ),
            models.Index(fields=["updated_at"], name="annotation_updated"),
            # A list filtered by status or label, in text order, walks one of these without
            # sorting; counting it, even filtered by both, reads the index alone.
            models.Index(
                fields=["status", "deleted_at", "article", "start", "end", "label"],
                name="annotation_status_text",
            ),
            models.Index(
                fields=["label", "deleted_at", "article", "start", "end", "status"],
                name="annotation_label_text",
            ),
            models.Index(fields=["author", "created_at"], name="annotation_author_created"),
        ]

    def __str__(self) -> str:
        return f"{self.label_id}: {self.quote[:60]}"

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.RENDERED}
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            ArticleAnnotationsCache.clear([self.article_id])

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            deleted = super().delete(*args, **kwargs)
            ArticleAnnotationsCache.clear([self.article_id])
        return deleted

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


class ArticleAnnotationsCache(models.Model):
    """An article's exportable annotations, assembled (JSON array, CSV rows) and kept until
    anything in them changes: the fastest read there is, one row for thousands of spans.

    Every write to an annotation clears its article's row in the same transaction (the model
    and queryset methods above), as does a label or username change; clearing bumps
    ``generation``. A reader stores what it built only if ``generation`` is still the one it
    read before reading the annotations (assembly.py), so it can never store an older
    state over a newer one. The row is made with its article (signals.py): a write must find
    it to clear it.
    """

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="annotations_cache",
    )
    generation = models.BigIntegerField(default=0)
    json = models.BinaryField(null=True)
    csv = models.BinaryField(null=True)
    needs_repair = models.JSONField(null=True)
    # The text the parts were checked against: a text changed behind the app's back (revision
    # texts never change through it) is caught on read, and the spans checked again.
    text_sha256 = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"annotations of article {self.article_id}, generation {self.generation}"

    @classmethod
    def clear(cls, article_ids, *, warm: bool = False) -> None:
        """Clear these articles' caches; with ``warm``, assemble them again once the
        transaction commits (a task: at once by default, else by a worker)."""
        if article_ids:
            cls.objects.filter(article_id__in=article_ids).update(**cls._cleared())
            if warm:
                ids = sorted(article_ids)
                transaction.on_commit(lambda: _warm_caches_later(ids))

    @classmethod
    def clear_all(cls) -> None:
        cls.objects.update(**cls._cleared())

    @staticmethod
    def _cleared() -> dict:
        return {
            "json": None,
            "csv": None,
            "needs_repair": None,
            "generation": models.F("generation") + 1,
        }


def _warm_caches_later(article_ids: list[int]) -> None:
    from .tasks import warm_article_caches

    warm_article_caches.enqueue(article_ids)
