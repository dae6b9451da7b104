from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "annotator.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks"

    def ready(self) -> None:
        from articles.events import article_created

        from .events import emit

        def announce_article(sender, article_id: int, **kwargs) -> None:
            emit("article.created", article_id=article_id)

        # Articles come in through the article layer's own doors too (the new-article page,
        # feeds, fetches), which cannot call up into this app.
        article_created.connect(announce_article, weak=False, dispatch_uid="webhooks.article")
