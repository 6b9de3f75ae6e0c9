"""The health dashboard at 1,000,000 ledger rows: `seed_demo --scale 10` (a community ten times
today's, about 66,000 rows over two years), then believable acts added in bulk over ten years,
each by a member whose mission was running that month, in that mission's context, until the
ledger holds 1,000,000 rows.

Prints: the time the periodic job takes to compute every snapshot; the dashboard, its exports
and the API served from snapshots (goal: under 100 ms); and for one month, quarter and year,
the time to recompute the period from scratch against the time of one raw SQL aggregate scan
over the ledger for that period (goal: under 3×), whole community alone and every segment.
"""

import datetime
import io
import random
import statistics
import time
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from ruche.core.registry import registry
from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.health import services
from ruche.health.enums import PeriodKind
from ruche.health.gather import gather
from ruche.health.metrics import compute
from ruche.health.periods import Period
from ruche.health.segments import SegmentKey
from ruche.members.models import NEWCOMER_DAYS, Member, Mission

TARGET_ROWS = 1_000_000
YEARS = 10
RUNS = 9
RATIO_RUNS = 7
BATCH = 20_000
# (kind, subject type, weight): the mix of the demo's own ledger.
MIX = [
    (ContributionKind.REGISTERED, SubjectType.EVENT, 40),
    (ContributionKind.ATTENDED, SubjectType.EVENT, 30),
    (ContributionKind.SUPPORTED, SubjectType.INITIATIVE, 6),
    (ContributionKind.VOLUNTEERED, SubjectType.SHIFT, 3),
    (ContributionKind.JOINED, SubjectType.INITIATIVE, 3),
    (ContributionKind.COMMENTED, SubjectType.INITIATIVE, 3),
    (ContributionKind.NEED_SUPPORTED, SubjectType.NEED, 2),
    (ContributionKind.ORGANISED, SubjectType.EVENT, 2),
    (ContributionKind.STATUS_CHANGED, SubjectType.INITIATIVE, 1),
    (ContributionKind.LED, SubjectType.INITIATIVE, 1),
    (ContributionKind.PROPOSED, SubjectType.INITIATIVE, 1),
    (ContributionKind.UPDATED, SubjectType.INITIATIVE, 1),
    (ContributionKind.SPOKE, SubjectType.EVENT, 1),
    (ContributionKind.RAISED_NEED, SubjectType.NEED, 1),
]


def _months(today: datetime.date) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for back in range(YEARS * 12):
        index = first.year * 12 + first.month - 1 - back
        months.append(datetime.date(index // 12, index % 12 + 1, 1))
    return months[::-1]


def _active_by_month(months) -> dict:
    """month → [(member, startup, incubator, domaine, transverse, first start)] of the members
    whose mission ran that month."""
    members = {
        pk: (domaine, bool(role))
        for pk, domaine, role in Member.objects.values_list("pk", "domaine", "transverse_role")
    }
    firsts = {}
    missions = defaultdict(list)
    for member_id, start, end, startup_id, incubator_id in Mission.objects.values_list(
        "member_id", "start", "end", "startups__pk", "startups__incubator_id"
    ):
        missions[member_id].append((start, end, startup_id, incubator_id))
        firsts[member_id] = min(start, firsts.get(member_id, start))
    active = defaultdict(list)
    for member_id, spans in missions.items():
        domaine, transverse = members[member_id]
        for month in months:
            for start, end, startup_id, incubator_id in spans:
                if start <= month and (end is None or end >= month):
                    active[month].append(
                        (
                            member_id,
                            startup_id,
                            incubator_id,
                            domaine,
                            transverse,
                            firsts[member_id],
                        )
                    )
                    break
    return active


def add_rows(rng: random.Random) -> int:
    """Adds acts until the ledger holds TARGET_ROWS rows, spread over YEARS years in proportion
    to the members active each month."""
    missing = TARGET_ROWS - Contribution.objects.count()
    today = timezone.localdate()
    months = _months(today)
    active = _active_by_month(months)
    people = sum(len(active[month]) for month in months)
    kinds = [(kind, subject) for kind, subject, _weight in MIX]
    weights = [weight for _kind, _subject, weight in MIX]
    zone = timezone.get_current_timezone()
    added = 0
    rows = []
    for number, month in enumerate(months):
        share = len(active[month]) / people
        count = round(missing * share) if number < len(months) - 1 else missing - added
        count = max(count, 0)
        days = (min(today, _next(month) - datetime.timedelta(days=1)) - month).days + 1
        for _row in range(count):
            member, startup, incubator, domaine, transverse, first = rng.choice(active[month])
            kind, subject = rng.choices(kinds, weights)[0]
            day = month + datetime.timedelta(days=rng.randrange(days))
            at = connection.ops.adapt_datetimefield_value(
                datetime.datetime.combine(
                    day, datetime.time(rng.randrange(8, 20), rng.randrange(60)), tzinfo=zone
                )
            )
            rows.append(
                (
                    member,
                    kind,
                    subject,
                    _subject(rng, subject, number),
                    at,
                    1,
                    "{}",
                    startup,
                    incubator,
                    domaine,
                    transverse,
                    (day - first).days < NEWCOMER_DAYS,
                    False,
                )
            )
            if len(rows) >= BATCH:
                added += _write(rows)
        added += _write(rows)
    return added


# Added acts are about subjects of their time, not about the demo's: (first id, how many
# subjects at once, for how many months). An event's acts fall in its month; an initiative
# gathers acts for a year. These ids exist in no table, so they weigh on every scan of the
# ledger but never make up initiatives or events the metrics would look up.
SUBJECTS = {
    SubjectType.EVENT: (10_000_000, 60, 1),
    SubjectType.INITIATIVE: (20_000_000, 300, 12),
    SubjectType.SHIFT: (30_000_000, 80, 1),
    SubjectType.NEED: (40_000_000, 60, 6),
    SubjectType.GROUP: (50_000_000, 20, 24),
}


def _subject(rng: random.Random, subject: str, month_number: int) -> int:
    first, pool, months = SUBJECTS[subject]
    return first + month_number // months * pool + rng.randrange(pool)


def _next(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


COLUMNS = (
    "member_id",
    "kind",
    "subject_type",
    "subject_id",
    "at",
    "weight",
    "details",
    "startup_id",
    "incubator_id",
    "domaine",
    "is_transverse_role",
    "is_newcomer",
    "is_alumnus",
)


def _write(rows: list) -> int:
    """Plain INSERTs: building a million model instances would take longer than the rest."""
    table = Contribution._meta.db_table
    # Our own table and columns; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608  # nosec B608
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    written = len(rows)
    rows.clear()
    return written


def _median_ms(call, runs: int = RUNS) -> float:
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


SCANS = {
    # The aggregate the metrics start from: acts per member, kind and context.
    "acts": "SELECT member_id, kind, incubator_id, domaine, COUNT(*) FROM {table} "
    "WHERE at >= %s AND at < %s AND weight = 1 GROUP BY member_id, kind, incubator_id, domaine",
    # The simplest per-member one.
    "member × kind": "SELECT member_id, kind, COUNT(*) FROM {table} "
    "WHERE at >= %s AND at < %s GROUP BY member_id, kind",
}


def _scan(period: Period, sql: str) -> None:
    """One raw SQL aggregate scan over the ledger for the period, every row fetched."""
    lo, hi = period.bounds()
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=Contribution._meta.db_table), [lo, hi])
        cursor.fetchall()


def run(bench) -> None:
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        _run(bench)


def _run(bench) -> None:
    seeders = registry.demo
    registry.demo = [seeder for seeder in seeders if seeder.name != "health"]
    try:
        with bench.measure("seed_demo --scale 10 (without health snapshots)"):
            call_command("seed_demo", "--scale", "10", stdout=io.StringIO())
    finally:
        registry.demo = seeders
    seeded = Contribution.objects.count()
    with bench.measure(f"add believable acts over {YEARS} years, up to {TARGET_ROWS:,} rows"):
        added = add_rows(random.Random(13))  # noqa: S311 — reproducible data, not secrets
    bench.note(f"{seeded:,} rows from seed_demo + {added:,} added = {seeded + added:,}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Contribution._meta.db_table}")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    started = time.perf_counter()
    computed = services.snapshots_refresh()
    bench.note(
        f"periodic job, first run: {len(computed)} periods × every segment in "
        f"{time.perf_counter() - started:.1f} s"
    )
    _dashboard(bench)
    _ratios(bench)


def _dashboard(bench) -> None:
    member = Member.objects.filter(transverse_role="").order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    incubator = services.read(
        Period.containing(PeriodKind.MONTH, timezone.localdate()).previous(),
        SegmentKey.parse("all"),
    ).segments[1][0]
    pages = [
        ("dashboard, last complete month", "/sante/"),
        ("dashboard, this year", "/sante/?period=year&date=" + timezone.localdate().isoformat()),
        ("dashboard, one incubator", f"/sante/?segment={incubator}"),
        ("CSV export", "/sante/export.csv"),
        ("JSON export", "/sante/export.json?period=quarter"),
    ]
    for label, url in pages:
        assert client.get(url, secure=True).status_code == 200, url
        bench.note(
            f"{label}: median {_median_ms(lambda url=url: client.get(url, secure=True)):.1f} ms"
        )
    from ruche.accounts.services import api_token_create

    _token, secret = api_token_create(actor=member, member=member, name="bench")
    last = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    url = f"/api/v1/health/metrics?from={last.start}&to={last.end}"
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(url, headers=headers, secure=True).status_code == 200
    bench.note(
        f"API /health/metrics, last complete month: median "
        f"{_median_ms(lambda: client.get(url, headers=headers, secure=True)):.1f} ms"
    )


def _ratios(bench) -> None:
    """Scan and recomputation alternate, so that both meet the same load on a shared machine;
    the ratio printed is the median of the runs' ratios."""
    today = timezone.localdate()
    periods = [
        Period.containing(PeriodKind.MONTH, today).previous(),
        Period.containing(PeriodKind.QUARTER, today).previous(),
        Period.containing(PeriodKind.YEAR, today).previous(),
    ]
    for period in periods:
        lo, hi = period.bounds()
        rows = Contribution.objects.filter(at__gte=lo, at__lt=hi).count()
        timings = defaultdict(list)
        for _run in range(RATIO_RUNS):
            for name, sql in SCANS.items():
                timings[name].append(
                    _median_ms(lambda sql=sql, period=period: _scan(period, sql), runs=1)
                )
            cache.clear()
            timings["whole"].append(
                _median_ms(lambda period=period: compute(gather(period)), runs=1)
            )
            timings["every"].append(
                _median_ms(lambda period=period: services.snapshot_period(period), runs=1)
            )
        whole, every = statistics.median(timings["whole"]), statistics.median(timings["every"])
        bench.note(
            f"{period.label}, {rows:,} rows: recompute from scratch, whole community "
            f"{whole:.0f} ms, every segment with its snapshot written {every:.0f} ms"
        )
        for name in SCANS:
            scan = statistics.median(timings[name])
            ratio_whole = statistics.median(
                w / s for w, s in zip(timings["whole"], timings[name], strict=True)
            )
            ratio_every = statistics.median(
                e / s for e, s in zip(timings["every"], timings[name], strict=True)
            )
            bench.note(
                f"  one SQL scan ({name}) {scan:.0f} ms: whole community {ratio_whole:.1f}×, "
                f"every segment {ratio_every:.1f}×"
            )
