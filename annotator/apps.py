from django.apps import AppConfig
from django.db.models.signals import post_migrate

# Admin permissions each group gets; the rules behind them are in roles.py and services.py.
GROUP_PERMISSIONS = {
    "Editor": [
        "articles.view_article", "articles.add_article", "articles.change_article", "articles.delete_article",
        "annotator.view_annotation", "annotator.change_annotation", "annotator.delete_annotation",
        "annotator.view_entity", "annotator.add_entity", "annotator.change_entity",
        "annotator.view_relation", "annotator.view_label",
    ],
    "Reviewer": [
        "articles.view_article", "annotator.view_annotation", "annotator.change_annotation",
        "annotator.view_entity", "annotator.view_relation", "annotator.view_label",
    ],
    "Annotator": [],
}  # fmt: skip


def grant_group_permissions(sender, **kwargs) -> None:
    """Permissions exist only after migrate has run, so groups get theirs here, idempotently."""
    from django.contrib.auth.models import Group, Permission

    for group_name, codes in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission:
                wanted.append(permission)
        group.permissions.add(*wanted)


class AnnotatorConfig(AppConfig):
    name = "annotator"
    verbose_name = "Annotations"

    def ready(self) -> None:
        post_migrate.connect(grant_group_permissions, sender=self)
