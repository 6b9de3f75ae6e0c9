"""The beta.gouv import on the real snapshot: a full import into an empty database, then a
re-import that must find nothing to change (goals: under 15 s and under 5 s on SQLite)."""

import io
import time

from django.conf import settings
from django.core.management import call_command

SNAPSHOT = settings.BASE_DIR.parent / "shared" / "data" / "betagouv-api-v2.7"
GOALS = {"full import of the snapshot": 15.0, "no-op re-import": 5.0}


def measure(bench) -> dict:
    """{"skipped": reason} or {"timings": [(label, seconds, goal, members line)]}; the
    database should be empty (bench.reset())."""
    if not SNAPSHOT.is_dir():
        reason = f"no beta.gouv snapshot at {SNAPSHOT}"
        bench.skip(reason)
        return {"skipped": reason}
    timings = []
    for label, goal in GOALS.items():
        out = io.StringIO()
        started = time.perf_counter()
        with bench.measure(f"import_betagouv: {label}"):
            call_command("import_betagouv", str(SNAPSHOT), stdout=out, stderr=io.StringIO())
        elapsed = time.perf_counter() - started
        members = next(line for line in out.getvalue().splitlines() if line.startswith("members"))
        bench.note(members)
        timings.append((label, elapsed, goal, members))
    return {"timings": timings}


def run(bench) -> None:
    measure(bench)
