"""Every write of the annotation layer. Nothing else writes annotations (a test watches every
statement of the suite), so what the services do to a row — bump its version, record its
history, keep the article's lock — holds for every write.

One module per concern: single writes (annotations), many at once (bulk), rows written in few
statements (rows), articles as the annotation layer sees them (articles), a text's new
revision (reanchoring), canonical entities (entities).
"""

from .annotations import (
    VersionConflict,
    active_labels,
    annotation_create,
    annotation_delete,
    annotation_purge,
    annotation_reset,
    annotation_restore,
    annotation_review,
    annotation_update,
    check_article_open,
    check_can_annotate,
    get_label,
    relation_create,
    relation_delete,
    relations_bulk_create,
    suggestion_accept,
)
from .articles import article_create, article_purge, article_set_status, article_update
from .bulk import BulkErrors, annotations_bulk_create
from .entities import entities_merge, entity_create, entity_delete
from .reanchoring import reanchor_article

__all__ = [
    "BulkErrors",
    "VersionConflict",
    "active_labels",
    "annotation_create",
    "annotation_delete",
    "annotation_purge",
    "annotation_reset",
    "annotation_restore",
    "annotation_review",
    "annotation_update",
    "annotations_bulk_create",
    "article_create",
    "article_purge",
    "article_set_status",
    "article_update",
    "check_article_open",
    "check_can_annotate",
    "entities_merge",
    "entity_create",
    "entity_delete",
    "get_label",
    "reanchor_article",
    "relation_create",
    "relation_delete",
    "relations_bulk_create",
    "suggestion_accept",
]
