import articles.search.expressions
import django.db.models.deletion
from django.db import migrations, models

from articles.search import schema


def create(apps, schema_editor):
    schema.create(schema_editor.connection)


def drop(apps, schema_editor):
    schema.drop(schema_editor.connection)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0002_article_assignees"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearchDocument",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        db_column="article_id",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("document", articles.search.expressions.DocumentField()),
                ("fts", articles.search.expressions.FtsField(db_column="article_search")),
            ],
            options={"db_table": "article_search", "managed": False},
        ),
        migrations.RunPython(create, drop),
    ]
