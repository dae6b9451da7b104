from django.db import migrations

from annotator.defaults import create_defaults


def create(apps, schema_editor):
    create_defaults(apps.get_model("annotator", "Label"), apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [("annotator", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
