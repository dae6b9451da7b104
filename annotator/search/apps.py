from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class AnnotationSearchConfig(AppConfig):
    name = "annotator.search"
    label = "annotation_search"
    verbose_name = "Annotation search"

    def ready(self) -> None:
        from . import schema

        # As for the article index: SQLite's triggers are dropped before migrations, made after.
        pre_migrate.connect(schema.drop_before_migrate, sender=self)
        post_migrate.connect(schema.ensure_after_migrate, sender=self)
