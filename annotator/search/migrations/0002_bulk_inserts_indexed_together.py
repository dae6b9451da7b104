from django.db import migrations

from annotator.search import schema


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(schema.SQLITE_DEFERRED_TABLE)


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS annotation_search_deferred")


class Migration(migrations.Migration):
    """SQLite: the table the services hold a row in while they bulk-insert, so the insert
    trigger stands aside (the triggers are made again after this migration, with that test)."""

    dependencies = [("annotation_search", "0001_annotation_search_index")]

    operations = [migrations.RunPython(create, drop)]
