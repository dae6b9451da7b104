"""The few SQL pieces Django lacks for full-text matching and ranking, as fields and lookups."""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQueryField, SearchRank, SearchVectorField
from django.db import models
from django.db.models import F, FloatField, Func, Lookup, TextField, Value


class DocumentField(SearchVectorField):
    """A tsvector that the lookup ``tsmatch`` tests against a ready tsquery expression
    (``exact`` would wrap it in plainto_tsquery again)."""


@DocumentField.register_lookup
class TsMatch(Lookup):
    lookup_name = "tsmatch"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ {rhs}", (*lhs_params, *rhs_params)


class FtsField(models.TextField):
    """FTS5's hidden column named after its table: the left side of MATCH and of bm25()."""


@FtsField.register_lookup
class FtsMatch(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", (*lhs_params, *rhs_params)


def tsquery(words: list[str]) -> Func:
    """The words as one tsquery: every word, in any of its stems (schema.newsdesk_tsquery).
    Immutable with a constant argument, so the planner folds it before choosing the index."""
    return Func(
        Value(words, output_field=ArrayField(TextField())),
        function="newsdesk_tsquery",
        output_field=SearchQueryField(),
    )


def postgres_search(queryset, document: str, words: list[str]):
    query = tsquery(words)
    return queryset.filter(**{f"{document}__tsmatch": query}).annotate(
        # Normalisation 1 divides by the log of the document's length: a long text mentioning
        # a word once does not outrank a short one about it.
        search_rank=SearchRank(F(document), query, normalization=Value(1))
    )


def sqlite_search(queryset, fts: str, match: str, weights: tuple[float, ...]):
    # bm25() is lower for better matches; negated, higher is better on both databases.
    rank = Func(F(fts), *(Value(w) for w in weights), function="bm25", output_field=FloatField())
    return queryset.filter(**{f"{fts}__match": match}).annotate(search_rank=-rank)
