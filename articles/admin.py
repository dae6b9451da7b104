from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from annotator.admin import AnnotationInline

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
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "language", "created_by", "created_at", "deleted_at"]
    list_filter = ["status", "language"]
    search_fields = ["title", "byline"]
    readonly_fields = ["current_revision", "created_by", "updated_by", "created_at", "updated_at"]
    inlines = [RevisionInline, AnnotationInline]
