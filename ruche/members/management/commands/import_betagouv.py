from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ruche.members.importers.betagouv import (
    DEFAULT_SOURCE,
    BetagouvImport,
    ImportFailed,
    open_source,
)
from ruche.members.importers.report import Progress


class Command(BaseCommand):
    help = (
        "Imports members, startups, incubators and organisations from the beta.gouv.fr API "
        "v2.7 (or a directory holding authors.json, startups.json, incubators.json and "
        "organisations.json). Safe to run again: only what changed upstream is written, and "
        "nothing is deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            default=DEFAULT_SOURCE,
            help=f"API base URL or directory (default: {DEFAULT_SOURCE})",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Compare and report what would change, without saving anything.",
        )

    def handle(self, *, source, dry_run, verbosity, **options):
        stream = getattr(self.stderr, "_out", self.stderr)
        progress = None
        if verbosity > 0:
            progress = Progress(stream, is_tty=self.stderr.isatty())
        try:
            report = BetagouvImport(
                open_source(source),
                email_domain=settings.MEMBER_EMAIL_DOMAIN,
                progress=progress,
                dry_run=dry_run,
            ).run()
        except ImportFailed as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            style = self.style.WARNING if line.startswith("  ") else None
            self.stdout.write(line, style_func=style)
        self.stdout.write(f"Done in {report.seconds:.1f} s.")
