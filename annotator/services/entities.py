"""Writes of canonical entities: create, merge, delete."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from articles import roles

from ..models import Annotation, Entity
from ..webhooks.events import emit
from .rows import record_history


@transaction.atomic
def entity_create(
    *,
    name: str,
    type: str,
    aliases: list[str] | None = None,
    wikidata_qid: str = "",
    description: str = "",
) -> Entity:
    entity = Entity(
        name=name.strip(),
        type=type,
        aliases=aliases or [],
        wikidata_qid=wikidata_qid,
        description=description,
    )
    entity.full_clean()
    entity.save()
    return entity


def _relink(merge: Entity, keep: Entity | None, *, user, reason: str) -> None:
    """Point every span and quote linked to ``merge`` at ``keep`` (None: unlink), each
    annotation changed once with its version bumped and a history row."""
    linked = Annotation.objects.filter(Q(entity=merge) | Q(speaker=merge))
    ids = list(linked.values_list("id", flat=True))
    if not ids:
        return
    now = timezone.now()
    Annotation.objects.filter(entity=merge).update(entity=keep)
    Annotation.objects.filter(speaker=merge).update(speaker=keep)
    Annotation.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=now)
    record_history(ids, user=user, reason=reason)
    emit("annotation.updated", annotation_ids=ids)


@transaction.atomic
def entities_merge(*, keep: Entity, merge: Entity, user) -> Entity:
    """Fold ``merge`` into ``keep``: every span and quote relinked, names kept as aliases."""
    if not roles.is_editor(user):
        raise PermissionDenied("Only editors can merge entities.")
    if keep.pk == merge.pk:
        raise ValidationError("Pick two different entities to merge.")
    _relink(merge, keep, user=user, reason=f"entity {merge.pk} merged into {keep.pk}")
    aliases = [*keep.aliases, merge.name, *merge.aliases]
    keep.aliases = list(dict.fromkeys(a for a in aliases if a and a != keep.name))
    if not keep.wikidata_qid and merge.wikidata_qid:
        qid = merge.wikidata_qid
        merge.wikidata_qid = ""
        merge.save(update_fields=["wikidata_qid"])
        keep.wikidata_qid = qid
    keep.save()
    merge.delete()
    return keep


@transaction.atomic
def entity_delete(*, entity: Entity, user) -> None:
    """Delete an entity; the spans and quotes that named it stay, unlinked."""
    if not roles.is_editor(user):
        raise PermissionDenied("Only editors can delete entities.")
    _relink(entity, None, user=user, reason=f"entity {entity.pk} deleted")
    entity.delete()
