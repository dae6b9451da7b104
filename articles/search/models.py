from django.db import models

from .expressions import DocumentField, FtsField


class ArticleSearchDocument(models.Model):
    """An article's row in the search index, written only by the database's triggers
    (schema.py); Django reads it, to join and rank, and never writes it."""

    article = models.OneToOneField(
        "articles.Article",
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_column="article_id",
        related_name="search_document",
    )
    # PostgreSQL: the weighted tsvector (title A, byline B, text D) under a GIN index.
    document = DocumentField()
    # SQLite: FTS5's hidden column, named after its table: the left side of MATCH and bm25().
    fts = FtsField(db_column="article_search")

    class Meta:
        managed = False
        db_table = "article_search"

    def __str__(self) -> str:
        return f"search document of article {self.article_id}"
