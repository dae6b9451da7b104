import json

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from . import roles, services
from .models import Article, ArticleRevision


class SoftDeleteMixin:
    """Deleting from the admin is soft, like everywhere else; only a superuser purges.

    The model admin says how one object is soft-deleted, in ``soft_delete``, and how it is
    purged, in ``purge`` (through the services that own what goes with it)."""

    def delete_model(self, request, obj):
        if request.user.is_superuser:
            self.purge(request, obj)
        else:
            self.soft_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def purge(self, request, obj) -> None:
        obj.delete()

    def get_deleted_objects(self, objs, request):
        # A soft delete touches no related rows, so it needs no permission on them.
        if request.user.is_superuser:
            return super().get_deleted_objects(objs, request)
        objs = list(objs)
        return (
            [str(obj) for obj in objs],
            {self.model._meta.verbose_name_plural: len(objs)},
            set(),
            [],
        )


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "sha256", "created_by", "created_at", "anchoring"]
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
        "extraction_sources",
    ]
    inlines = [RevisionInline]
    filter_horizontal = ["assignees"]
    actions = ["restore"]

    @admin.display(description="Where the fields came from")
    def extraction_sources(self, article: Article) -> str:
        """One line per field: its source as ingestion recorded it (escaped: pages write it)."""
        record = article.extraction or {}
        if not record:
            return "Typed or pasted: nothing was extracted."
        rows = [(name, _describe(value)) for name, value in (record.get("fields") or {}).items()]
        rows.append(("text", _describe(record.get("text") or {})))
        if record.get("encoding"):
            encoding = record["encoding"]
            certainty = "certain" if encoding.get("certain") else "a guess, not certain"
            rows.append(
                ("encoding", f"{encoding.get('name')} ({certainty}; {encoding.get('reason')})")
            )
        return format_html(
            "<p>From {}.</p><table>{}</table>",
            record.get("format", "?"),
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.action(description="Restore selected deleted articles")
    def restore(self, request, queryset):
        if not roles.is_editor(request.user):
            self.message_user(request, "Only editors can restore articles.", messages.ERROR)
            return
        count = 0
        for article in queryset.filter(deleted_at__isnull=False):
            services.article_restore(article=article, user=request.user)
            count += 1
        self.message_user(request, f"Restored {count} article(s).", messages.SUCCESS)

    def soft_delete(self, request, article) -> None:
        services.article_delete(article=article, user=request.user)


def _describe(value: dict) -> str:
    details = {k: v for k, v in value.items() if k != "source"}
    extra = f" — {json.dumps(details, ensure_ascii=False)}" if details else ""
    return f"{value.get('source', '?')}{extra}"
