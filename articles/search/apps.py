from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ArticleSearchConfig(AppConfig):
    name = "articles.search"
    label = "article_search"
    verbose_name = "Article search"

    def ready(self) -> None:
        from . import schema

        # SQLite's triggers call a Python function to stem words; every connection needs it.
        connection_created.connect(schema.install_sqlite_functions)
        # Django's SQLite schema editor rebuilds a table to alter it, dropping its triggers;
        # they are put back after every migrate (and the index rebuilt if they were gone).
        post_migrate.connect(schema.ensure_after_migrate, sender=self)
