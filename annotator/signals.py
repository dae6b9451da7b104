"""Keeping ``ArticleAnnotationsCache`` whole: its row is made with each article, and a username
change (names are written into the cache) clears it."""

from django.conf import settings
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .models import ArticleAnnotationsCache


@receiver(post_save, sender="articles.Article")
def make_annotations_cache(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        ArticleAnnotationsCache.objects.get_or_create(article=instance)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def clear_cache_on_rename(sender, instance, raw: bool = False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "username" not in update_fields:
        return  # a login's last_login, most often
    old = sender.objects.filter(pk=instance.pk).values_list("username", flat=True).first()
    if old is not None and old != instance.username:
        ArticleAnnotationsCache.clear_all()
