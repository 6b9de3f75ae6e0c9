"""A need can be raised anonymously: members then do not see who raised it."""

from django.db import migrations, models


def search_index_again(apps, schema_editor):
    # Rebuilding a table drops its full-text triggers.
    from ruche.initiatives import search

    search.install(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0003_budget_status_labels")]

    # Both ways: SQLite rebuilds the table to add the column, and again to remove it.
    operations = [
        migrations.RunPython(migrations.RunPython.noop, search_index_again, elidable=False),
        migrations.AddField(
            model_name="need",
            name="anonymous",
            field=models.BooleanField(default=False, verbose_name="anonyme"),
        ),
        migrations.RunPython(search_index_again, migrations.RunPython.noop, elidable=False),
    ]
