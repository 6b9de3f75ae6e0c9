import json
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.apps import StaticFilesConfig
from django.core.management import call_command
from django.core.management.base import BaseCommand

# What collectstatic's manifest storage writes into STATIC_ROOT, naming every file collected.
MANIFEST = "staticfiles.json"


def why_collect(static_root: Path) -> str | None:
    """Why the static files must be collected again, or None when what STATIC_ROOT holds is
    current: a manifest naming every source file, none of them changed since."""
    manifest = static_root / MANIFEST
    try:
        collected = set(json.loads(manifest.read_text())["paths"])
        collected_at = manifest.stat().st_mtime
    except FileNotFoundError:
        return "never collected"
    except (ValueError, KeyError):
        return "the manifest is unreadable"
    config = apps.get_app_config("staticfiles")
    assert isinstance(config, StaticFilesConfig)
    ignore = config.ignore_patterns
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore):
            prefix = getattr(storage, "prefix", None)
            name = f"{prefix}/{path}" if prefix else path
            if name not in collected:
                return f"{name} is new"
            if Path(storage.path(path)).stat().st_mtime > collected_at:
                return f"{name} changed"
    return None


class Command(BaseCommand):
    help = (
        "Collects the static files (hashed and compressed, for WhiteNoise) unless STATIC_ROOT "
        "already holds them all, unchanged since. `make serve` runs it at start."
    )

    def handle(self, **options: Any) -> None:
        reason = why_collect(Path(settings.STATIC_ROOT))
        if reason is None:
            self.stdout.write(f"Static files in {settings.STATIC_ROOT} are up to date.")
            return
        self.stdout.write(f"Collecting static files into {settings.STATIC_ROOT} ({reason})…")
        self.stdout.flush()
        started = time.monotonic()
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"Static files collected in {time.monotonic() - started:.1f} s.")
