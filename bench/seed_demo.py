"""seed_demo at scale 1 (about 3,500 members), with every registered app seeder."""

import io

from django.core.management import call_command


def run(bench) -> None:
    out = io.StringIO()
    with bench.measure("seed_demo --scale 1"):
        call_command("seed_demo", "--scale", "1", stdout=out)
    for line in out.getvalue().splitlines():
        if ": seeded in" in line:
            bench.note(line)
