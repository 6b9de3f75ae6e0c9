"""The beta.gouv import on the real snapshot: a full import into an empty database, then a
re-import that must find nothing to change (goals: under 15 s and under 5 s on SQLite)."""

import io

from django.conf import settings
from django.core.management import call_command

SNAPSHOT = settings.BASE_DIR.parent / "shared" / "data" / "betagouv-api-v2.7"


def run(bench) -> None:
    if not SNAPSHOT.is_dir():
        bench.skip(f"no beta.gouv snapshot at {SNAPSHOT}")
        return
    for label in ("full import of the snapshot", "no-op re-import"):
        out = io.StringIO()
        with bench.measure(f"import_betagouv: {label}"):
            call_command("import_betagouv", str(SNAPSHOT), stdout=out, stderr=io.StringIO())
        members = next(line for line in out.getvalue().splitlines() if line.startswith("members"))
        bench.note(members)
