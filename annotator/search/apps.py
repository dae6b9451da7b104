from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AnnotationSearchConfig(AppConfig):
    name = "annotator.search"
    label = "annotation_search"
    verbose_name = "Annotation search"

    def ready(self) -> None:
        from . import schema

        # A table rebuild by Django's SQLite schema editor drops its triggers: put them back.
        post_migrate.connect(schema.ensure_after_migrate, sender=self)
