from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruche.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Backs up the whole database to PATH while Ruche runs: a SQLite file (sqlite3's "
        "backup API), or a pg_dump archive (custom format) for PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the file to write (replaced if it exists)")

    def handle(self, *, path: Path, **options: Any) -> None:
        try:
            self.stdout.write(backup(path))
        except BackupError as error:
            raise CommandError(str(error)) from None
