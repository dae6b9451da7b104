from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from annotator import roles
from annotator.admin import AnnotationInline, SoftDeleteMixin

from . import services
from .models import Article, ArticleRevision


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "sha256", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(SoftDeleteMixin, SimpleHistoryAdmin):
    list_display = ["title", "status", "language", "created_by", "created_at", "deleted_at"]
    list_filter = ["status", "language", ("deleted_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "byline"]
    # Status moves go through the workflow (the article page or the API), text edits through
    # new revisions; the admin edits metadata and assignees.
    readonly_fields = [
        "status",
        "current_revision",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "deleted_at",
    ]
    inlines = [RevisionInline, AnnotationInline]
    filter_horizontal = ["assignees"]
    actions = ["restore"]

    @admin.action(description="Restore selected deleted articles")
    def restore(self, request, queryset):
        if not roles.is_editor(request.user):
            self.message_user(request, "Only editors can restore articles.", messages.ERROR)
            return
        count = queryset.filter(deleted_at__isnull=False).update(
            deleted_at=None, updated_by=request.user
        )
        self.message_user(request, f"Restored {count} article(s).", messages.SUCCESS)

    def soft_delete(self, request, article) -> None:
        services.article_delete(article=article, user=request.user)
