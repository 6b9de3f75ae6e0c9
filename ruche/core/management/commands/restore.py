from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ruche.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restores a backup made by `manage.py backup` into the database. Refuses a database "
        "that already holds data unless --force. Stop the web and worker processes first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the backup to read")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database's content even though it holds data",
        )

    def handle(self, *, path: Path, force: bool, **options: Any) -> None:
        try:
            self.stdout.write(restore(path, force=force))
        except BackupError as error:
            raise CommandError(str(error)) from None
