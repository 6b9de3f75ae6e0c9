from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ruche.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Backs up the whole database to PATH while Ruche runs: a SQLite file (sqlite3's "
        "backup API), or a pg_dump archive (custom format) for PostgreSQL."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the file to write (replaced if it exists)")

    def handle(self, *, path, **options):
        try:
            self.stdout.write(backup(path))
        except BackupError as error:
            raise CommandError(str(error)) from None
