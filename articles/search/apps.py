from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class ArticleSearchConfig(AppConfig):
    name = "articles.search"
    label = "article_search"
    verbose_name = "Article search"

    def ready(self) -> None:
        from . import schema

        # Django's SQLite schema editor rebuilds a table to alter it, which a trigger naming
        # that table makes fail, and which drops the table's own triggers: on SQLite they are
        # dropped before migrations run and made again after (the index refilled).
        pre_migrate.connect(schema.drop_before_migrate, sender=self)
        post_migrate.connect(schema.ensure_after_migrate, sender=self)
