from django import forms
from django.contrib import admin, messages

from articles import roles

from . import services
from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from .validation import EVENTS


class EditorsOnly:
    """Webhooks carry secrets and reach outside: editors and superusers only."""

    def has_module_permission(self, request):
        return roles.is_editor(request.user)

    def has_view_permission(self, request, obj=None):
        return roles.is_editor(request.user)

    def has_add_permission(self, request, obj=None):
        return roles.is_editor(request.user)

    def has_change_permission(self, request, obj=None):
        return roles.is_editor(request.user)

    def has_delete_permission(self, request, obj=None):
        return roles.is_editor(request.user)


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=[(e, e) for e in EVENTS], widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="The HMAC-SHA256 key receivers check the signature with. Leave empty to keep "
        "the current one (or, for a new endpoint, to have one made).",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "events", "secret", "description", "active"]

    def clean_secret(self):
        return self.cleaned_data["secret"] or (
            self.instance.secret if self.instance.pk else services.new_secret()
        )


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["number", "started_at", "duration_ms", "succeeded", "status_code", "address", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(EditorsOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "event_list", "active", "consecutive_failures", "disabled_at"]
    list_filter = ["active"]
    readonly_fields = ["consecutive_failures", "disabled_at", "disabled_reason", "created_by"]
    actions = ["send_test_event"]

    @admin.display(description="events")
    def event_list(self, endpoint):
        return ", ".join(endpoint.events)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if change and "active" in form.changed_data and obj.active:
            # Switched back on by hand: its failures are behind it.
            obj.consecutive_failures, obj.disabled_at, obj.disabled_reason = 0, None, ""
        super().save_model(request, obj, form, change)

    def _warn_disabled(self, request, endpoints) -> None:
        for endpoint in endpoints:
            if endpoint.disabled_at and not endpoint.active:
                self.message_user(
                    request,
                    f"{endpoint.url} was disabled on {endpoint.disabled_at:%Y-%m-%d %H:%M} UTC: "
                    f"{endpoint.disabled_reason} Fix the receiver, send a test event, then tick "
                    "Active to resume.",
                    messages.WARNING,
                )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            self._warn_disabled(request, WebhookEndpoint.objects.filter(active=False))
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._warn_disabled(request, WebhookEndpoint.objects.filter(pk=object_id))
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Send a test event")
    def send_test_event(self, request, queryset):
        for endpoint in queryset:
            made = services.send_test_event(endpoint=endpoint, user=request.user)
            last = made.attempts.order_by("-number").first()
            if made.status == WebhookDelivery.Status.DELIVERED:
                self.message_user(
                    request,
                    f"{endpoint.url}: test event delivered (HTTP {last.status_code}, "
                    f"{last.duration_ms:.0f} ms).",
                    messages.SUCCESS,
                )
            elif last is not None:
                self.message_user(
                    request, f"{endpoint.url}: test event failed: {last.error}", messages.ERROR
                )
            else:
                self.message_user(
                    request, f"{endpoint.url}: test event queued for a worker.", messages.INFO
                )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(EditorsOnly, admin.ModelAdmin):
    list_display = ["id", "event", "endpoint", "status", "attempt_count", "created_at"]
    list_filter = ["status", "event"]
    list_select_related = ["endpoint"]
    readonly_fields = [
        "endpoint", "event", "status", "attempt_count", "next_attempt_at", "claimed_at",
        "created_at", "delivered_at", "payload",
    ]  # fmt: skip
    exclude = ["data"]
    inlines = [AttemptInline]

    @admin.display(description="data")
    def payload(self, delivery):
        return bytes(delivery.data).decode()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
