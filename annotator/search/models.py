from django.db import models

from articles.search.expressions import DocumentField, FtsField


class AnnotationSearchDocument(models.Model):
    """An annotation's row in the search index, written only by the database's triggers
    (schema.py); Django reads it, to join and rank, and never writes it."""

    annotation = models.OneToOneField(
        "annotator.Annotation",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_column="annotation_id",
        related_name="search_document",
    )
    # PostgreSQL: quote A, speaker B, verdict note C, under a GIN index.
    document = DocumentField()
    # SQLite: FTS5's hidden column, named after its table.
    fts = FtsField(db_column="annotation_search")

    class Meta:
        managed = False
        db_table = "annotation_search"

    def __str__(self) -> str:
        return f"search document of annotation {self.annotation_id}"
