import django.db.models.deletion
from django.db import migrations, models

import articles.search.expressions
from annotator.search import schema


def create(apps, schema_editor):
    schema.create(schema_editor.connection)


def drop(apps, schema_editor):
    schema.drop(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("annotator", "0004_one_derived_state"),
        # newsdesk_tsvector and newsdesk_tsquery are made there.
        ("article_search", "0001_article_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="AnnotationSearchDocument",
            fields=[
                (
                    "annotation",
                    models.OneToOneField(
                        db_column="annotation_id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="annotator.annotation",
                    ),
                ),
                ("document", articles.search.expressions.DocumentField()),
                ("fts", articles.search.expressions.FtsField(db_column="annotation_search")),
            ],
            options={"db_table": "annotation_search", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
