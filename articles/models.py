from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from . import roles


class ArticleQuerySet(models.QuerySet):
    def alive(self) -> "ArticleQuerySet":
        return self.filter(deleted_at__isnull=True)

    def visible_to(self, user) -> "ArticleQuerySet":
        """Live articles this user may read: editors, reviewers and superusers read all; an
        annotator reads the open ones (no one assigned) and those assigned to them."""
        articles = self.alive()
        if not roles.is_member(user):
            return articles.none()
        if roles.reads_every_article(user):
            return articles
        assignments = Article.assignees.through.objects.filter(article=models.OuterRef("pk"))
        return articles.filter(
            ~models.Exists(assignments) | models.Exists(assignments.filter(user=user))
        )

    def with_text(self) -> "ArticleQuerySet":
        return self.select_related("current_revision", "created_by", "updated_by")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ANNOTATING = "annotating", "Annotating"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=500, blank=True)
    source_url = models.URLField(max_length=2000, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="BCP 47 tag, e.g. en, es-MX")
    status = models.CharField(max_length=16, choices=Status, default=Status.DRAFT)
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_articles",
        help_text="Annotators who work on this article; with none, it is open to every annotator.",
    )
    # One revision is current; OneToOne makes the database refuse one revision being current
    # for two articles.
    current_revision = models.OneToOneField(
        "ArticleRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="current_for",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # How ingestion found each field (the date's source and value as the page gave it, where the
    # text came from, the encoding and whether it was certain), written once when the article is
    # made from a file, a page or a feed, so an editor can see why; the admin shows it.
    extraction = models.JSONField(default=dict, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="article_status_created"),
            models.Index(fields=["updated_at"], name="article_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return self.current_revision.text if self.current_revision_id else ""

    @property
    def is_locked(self) -> bool:
        """Published and archived articles are locked to everyone but editors."""
        return self.status in (self.Status.PUBLISHED, self.Status.ARCHIVED)


class ArticleRevision(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    sha256 = models.CharField(max_length=64, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What became of the article's annotations when this text replaced the one before:
    # {"kept", "moved", "changed", "orphaned"} counts, written by the annotator's re-anchoring.
    anchoring = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"
