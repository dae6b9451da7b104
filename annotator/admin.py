from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from articles import roles
from articles.admin import ArticleAdmin, SoftDeleteMixin
from articles.models import Article
from articles.services import clean_text

from . import services
from .models import Annotation, Entity, Label, Relation


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "kind", "entity_type", "color", "shortcut", "active", "order"]
    list_editable = ["active", "order"]
    list_filter = ["kind", "active"]


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "type", "wikidata_qid", "created_at"]
    list_filter = ["type"]
    search_fields = ["name", "wikidata_qid"]
    actions = ["merge_into_first"]

    def delete_model(self, request, entity):
        services.entity_delete(entity=entity, user=request.user)

    def delete_queryset(self, request, queryset):
        for entity in queryset:
            services.entity_delete(entity=entity, user=request.user)

    def get_deleted_objects(self, objs, request):
        # The spans that named the entity stay (unlinked), so deleting it needs no permission
        # on them.
        objs = list(objs)
        return [str(obj) for obj in objs], {"entities": len(objs)}, set(), []

    @admin.action(description="Merge selected entities into the oldest one")
    def merge_into_first(self, request, queryset):
        keep, *others = list(queryset.order_by("id"))
        for other in others:
            services.entities_merge(keep=keep, merge=other, user=request.user)
        self.message_user(
            request, f"Merged {len(others)} entities into “{keep}”.", messages.SUCCESS
        )


class StatusFilter(admin.SimpleListFilter):
    """Moderation opens on what needs doing: pending, not deleted."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Annotation.Status.choices, ("deleted", "Deleted"), ("all", "All")]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "pending") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "pending"
        if value == "all":
            return queryset
        if value == "deleted":
            return queryset.filter(deleted_at__isnull=False)
        return queryset.filter(status=value, deleted_at__isnull=True)


@admin.register(Annotation)
class AnnotationAdmin(SoftDeleteMixin, SimpleHistoryAdmin):
    list_display = [
        "id",
        "quote_short",
        "label",
        "status",
        "origin",
        "article",
        "author",
        "created_at",
    ]
    list_filter = [StatusFilter, "label__kind", "label", "origin", "anchor_state", "author"]
    search_fields = ["quote", "article__title"]
    list_select_related = ["label", "article", "author"]
    actions = ["approve", "reject", "reset_to_pending", "restore"]

    def get_readonly_fields(self, request, obj=None):
        # The admin moderates (the actions above); spans and attributes are changed on the
        # annotation page or through the API, where offsets, quotes and versions are checked.
        return [field.name for field in self.model._meta.fields]

    @admin.display(description="quote")
    def quote_short(self, annotation):
        return annotation.quote[:80]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or roles.can_edit_annotation(request.user, obj)
        )

    def _review(self, request, queryset, approve: bool):
        if not roles.is_reviewer(request.user):
            self.message_user(request, "Only reviewers can approve or reject.", messages.ERROR)
            return
        done = 0
        for annotation in queryset.filter(deleted_at__isnull=True):
            try:
                services.annotation_review(
                    annotation=annotation,
                    reviewer=request.user,
                    approve=approve,
                    note="" if approve else "Rejected in bulk from the admin.",
                )
                done += 1
            except ValidationError as error:
                self.message_user(
                    request, f"{annotation.pk}: {' '.join(error.messages)}", messages.WARNING
                )
        self.message_user(
            request,
            f"{'Approved' if approve else 'Rejected'} {done} annotation(s).",
            messages.SUCCESS,
        )

    @admin.action(description="Approve selected annotations")
    def approve(self, request, queryset):
        self._review(request, queryset, approve=True)

    @admin.action(description="Reject selected annotations")
    def reject(self, request, queryset):
        self._review(request, queryset, approve=False)

    @admin.action(description="Reset selected annotations to pending")
    def reset_to_pending(self, request, queryset):
        if not roles.is_reviewer(request.user):
            self.message_user(request, "Only reviewers can reset reviews.", messages.ERROR)
            return
        count = 0
        for annotation in queryset.filter(deleted_at__isnull=True):
            services.annotation_reset(annotation=annotation, user=request.user)
            count += 1
        self.message_user(request, f"Reset {count} annotation(s) to pending.", messages.SUCCESS)

    @admin.action(description="Restore selected deleted annotations")
    def restore(self, request, queryset):
        if not roles.is_editor(request.user):
            self.message_user(request, "Only editors can restore annotations.", messages.ERROR)
            return
        count = 0
        for annotation in queryset.filter(deleted_at__isnull=False):
            services.annotation_restore(annotation=annotation, user=request.user)
            count += 1
        self.message_user(request, f"Restored {count} annotation(s).", messages.SUCCESS)

    def soft_delete(self, request, annotation) -> None:
        services.annotation_delete(annotation=annotation, user=request.user)

    def purge(self, request, annotation) -> None:
        services.annotation_purge(annotation=annotation, user=request.user)


@admin.register(Relation)
class RelationAdmin(SimpleHistoryAdmin):
    list_display = ["id", "source", "type", "target", "article", "author"]
    list_filter = ["type"]
    raw_id_fields = ["article", "source", "target", "author"]


class AnnotationInline(admin.TabularInline):
    model = Annotation
    fields = ["label", "start", "end", "quote", "status", "origin", "author"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["start", "end"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(deleted_at__isnull=True)
            .select_related("label", "author")
        )

    def has_add_permission(self, request, obj=None):
        return False


# The article admin of the lower layer, with the annotations of the article shown inline.
admin.site.unregister(Article)


class ArticleTextForm(forms.ModelForm):
    """The article form with its text: a changed text is saved as a new revision through the
    same service as the API's, so the annotations follow their words the same way."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        strip=False,
        required=False,
        help_text="Saving a changed text makes a new revision; each annotation follows its "
        "words through the edit, or is orphaned for repair when its words are gone.",
    )

    class Meta:
        model = Article
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.current_revision_id:
            self.fields["text"].initial = self.instance.text

    def clean_text(self) -> str:
        raw = self.cleaned_data.get("text") or ""
        if not self.instance.pk or not raw:
            return ""
        try:
            return clean_text(raw)
        except ValidationError as error:
            # The service names the field; the form shows the messages under it.
            raise ValidationError(error.messages) from error


@admin.register(Article)
class ArticleWithAnnotationsAdmin(ArticleAdmin):
    form = ArticleTextForm
    inlines = [*ArticleAdmin.inlines, AnnotationInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        text = form.cleaned_data.get("text")
        if not change or not text or text == obj.text:
            return
        article = services.article_update(article=obj, user=request.user, changes={"text": text})
        revision = article.current_revision
        counts = ", ".join(f"{n} {outcome}" for outcome, n in (revision.anchoring or {}).items())
        self.message_user(
            request,
            f"New text saved as revision {revision.number}; annotations: {counts or 'none'}.",
            messages.SUCCESS,
        )

    def purge(self, request, article) -> None:
        services.article_purge(article=article, user=request.user)
