from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ArticleSearchConfig(AppConfig):
    name = "articles.search"
    label = "article_search"
    verbose_name = "Article search"

    def ready(self) -> None:
        from . import schema

        # Django's SQLite schema editor rebuilds a table to alter it, dropping its triggers;
        # they are put back after every migrate (and the index rebuilt if they were gone).
        post_migrate.connect(schema.ensure_after_migrate, sender=self)
