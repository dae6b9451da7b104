from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "annotator.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"
