"""The health part of `seed_demo`: the snapshots of the demo community's last two years, so
that the dashboard tells its story from the first page view (the periodic job keeps them
fresh afterwards). It only reads what the other seeders wrote."""

import time

from ruche.demo.context import DemoContext
from ruche.health.services import snapshot_period, snapshots_due


def seed(context: DemoContext) -> None:
    started = time.monotonic()
    due = snapshots_due(context.now)
    segments = sum(snapshot_period(period, now=context.now) for period in due)
    context.log(
        f"health: {len(due)} periods, {segments} snapshots in {time.monotonic() - started:.1f} s"
    )
