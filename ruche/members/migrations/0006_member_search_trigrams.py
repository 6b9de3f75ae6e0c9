from django.db import migrations

from ruche.members import trigrams


def install(apps, schema_editor):
    trigrams.install(schema_editor)


def uninstall(apps, schema_editor):
    trigrams.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_member_directory_index"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
