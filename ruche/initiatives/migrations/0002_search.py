"""Full-text search: FTS5 tables and triggers on SQLite, tsvector columns with a French,
accent-insensitive configuration on PostgreSQL (see ruche/initiatives/search.py). Other
databases get nothing and search falls back to substring matching."""

from django.db import migrations


def forwards(apps, schema_editor):
    from ruche.initiatives import search

    search.install(schema_editor)


def backwards(apps, schema_editor):
    from ruche.initiatives import search

    search.uninstall(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
