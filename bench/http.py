"""Ruche served as in production, measured from outside: `make serve` (gunicorn, 2 sync
workers, DEBUG off) on the demo community at each scale of BENCH_SCALES (default "1 10"),
driven from 127.0.0.1 by 16 connections signed in as the « member » persona, each page for
BENCH_SECONDS (default 5). For each page: requests/s, p50/p95/p99, the workers' CPU time per
request (read from /proc: steadier than wall time on a shared machine), the load generator's
own CPU per request (it shares the server's cores: plain http.client, about a third of what
`requests` costs), SQL queries per request (counted in this process with the test client, at
every scale, on pages showing the same kind of object at every scale), and throughput as a
share of a bare view's (the floor). Then, against the same 2 web processes, the RSVP race (200
members register at once for 50 places) and, on an empty database, the beta.gouv import
(bench/import_betagouv.py; skipped with its reason when the snapshot is missing). Writes a
markdown report and a PNG chart under bench/results/.
"""

import datetime
import http.client
import io
import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

RESULTS = Path(__file__).resolve().parent / "results"
CONNECTIONS = 16
SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1 10").split()]
ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")
STATIC_BY_NAME = "django.contrib.staticfiles.storage.StaticFilesStorage"


def _event():
    """The same kind of event at every scale, so that query counts compare: the first upcoming
    public one-off event (no series), scheduled, with places, tied to no incubator, initiative
    or group, with a confirmed speaker and registrations and no volunteer slot."""
    from django.db.models import Exists, OuterRef

    from ruche.events.enums import EventStatus, SpeakerStatus
    from ruche.events.models import Event, Rsvp, Shift, Speaker

    def has(model, **lookups):
        return Exists(model.objects.filter(event=OuterRef("pk"), **lookups))

    return (
        Event.objects.filter(
            start__gte=datetime.datetime.now(datetime.UTC),
            is_public=True,
            series__isnull=True,
            status=EventStatus.SCHEDULED,
            capacity__isnull=False,
            incubator__isnull=True,
            initiative__isnull=True,
            group__isnull=True,
        )
        .filter(has(Speaker, status=SpeakerStatus.CONFIRMED), has(Rsvp))
        .exclude(has(Shift))
        .order_by("start", "pk")
        .first()
    )


# What a profile shows, by kind of subject: the thanks received, the history, what the viewer
# may thank them for. The profile's page runs one query per kind in each (see
# ruche.onboarding.history.describe), so the bench shows a member with these kinds at every scale.
PROFILE_KINDS = (("shift",), ("event", "shift"), ("event", "initiative", "need", "shift"))


def _profile(viewer):
    """The first member thanked (by id) with a mission, history shown to members, and the kinds
    of PROFILE_KINDS; the « animation » persona if none."""
    from unittest import mock

    from ruche.engagement.models import Thanks
    from ruche.members.models import Member
    from ruche.members.personas import PERSONAS_BY_KEY
    from ruche.onboarding import history

    thanked = Thanks.objects.values("receiver_id").distinct().order_by("receiver_id")[:1000]
    candidates = Member.objects.filter(pk__in=thanked, is_active=True, missions__isnull=False)
    for member in candidates.distinct().order_by("pk"):
        if not member.shows_history_to(viewer) or member.pk == viewer.pk:
            continue
        with mock.patch.object(history, "describe", wraps=history.describe) as spy:
            history.thanks_received(member)
            history.engagement_history(member)
            history.thankable(member, viewer)
        kinds = tuple(
            tuple(sorted({subject_type for subject_type, _id in call.args[0]}))
            for call in spy.call_args_list
        )
        if kinds == PROFILE_KINDS:
            return member
    return Member.objects.get(betagouv_id=PERSONAS_BY_KEY["animation"].betagouv_id)


def _pages(viewer) -> list[tuple[str, str, bool]]:
    """(label, path, API) of each page measured; the floor first. The event and the profile
    are the same kind of object at every scale (see _event and _profile), so that query
    counts compare."""
    from ruche.initiatives.models import Initiative

    event = _event()
    initiative = Initiative.objects.filter(hidden=False).order_by("-created_at").first()
    profile = _profile(viewer)
    return [
        ("floor (bare view)", "/bench/floor/", False),
        ("/healthz", "/healthz", False),
        ("home", "/", False),
        ("initiatives list", "/initiatives/", False),
        ("search", "/recherche/?q=cafe", False),
        ("initiative page", initiative.get_absolute_url(), False),
        ("agenda", "/evenements/", False),
        ("event page", event.get_absolute_url(), False),
        ("groups list", "/groupes/", False),
        ("members list", "/membres/", False),
        ("profile", profile.get_absolute_url(), False),
        ("health dashboard", "/sante/", False),
        ("/evenements.ics", "/evenements.ics", False),
        ("GET /api/v1/initiatives", "/api/v1/initiatives", True),
        ("GET /api/v1/events", "/api/v1/events", True),
    ]


def _member_credentials():
    """A session cookie and an API token of the « member » persona."""
    from django.contrib.sessions.backends.db import SessionStore

    from ruche.accounts.services import api_token_create
    from ruche.members.models import Member
    from ruche.members.personas import PERSONAS_BY_KEY

    member = Member.objects.get(betagouv_id=PERSONAS_BY_KEY["member"].betagouv_id)
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    _token, secret = api_token_create(actor=member, member=member, name="bench")
    return member, session.session_key, secret


def _queries(member, pages) -> dict[str, int]:
    """Counted in this process (the server runs DEBUG off and logs no SQL), on the same pages
    with the same data; static files by name, as this process never collected them."""
    from ruche.accounts.services import api_token_create

    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": STATIC_BY_NAME}}
    with override_settings(ROOT_URLCONF="bench._urls", STORAGES=storages):
        return _count_queries(member, pages, api_token_create)


def _count_queries(member, pages, api_token_create) -> dict[str, int]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(member)
    _token, secret = api_token_create(actor=member, member=member, name="bench-queries")
    counts = {}
    for label, path, api in pages:
        headers = {"Authorization": f"Bearer {secret}"} if api else {}
        # HTTPS as behind the production proxy (DEBUG off redirects plain HTTP).
        client.get(path, headers=headers, secure=True)  # warm caches, as the server's are
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path, headers=headers, secure=True).status_code
        counts[label] = len(queries) if status < 400 else None
    return counts


def _children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def _descendants(pid: int) -> list[int]:
    """make's shell, gunicorn's master and its workers: the whole server."""
    found = []
    for child in _children(pid):
        found += [child, *_descendants(child)]
    return found


def _cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _drive(port: int, path: str, headers: dict) -> tuple[list[float], int, int, float]:
    """CONNECTIONS loops on one path for SECONDS: latencies, requests, errors, and this
    process's own CPU seconds over the run (the load generator shares the server's cores).
    As cheap per request as Python allows: plain http.client, one connection per loop kept
    open while the server keeps it (gunicorn's sync workers close it after each response)."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + SECONDS

    def loop():
        mine, failed, conn = [], 0, None
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()  # to the end, as a browser does
                ok = response.status < 400
                if response.will_close:
                    conn.close()
                    conn = None
            except (OSError, http.client.HTTPException):
                ok, conn = False, None
            mine.append(time.perf_counter() - began)
            failed += not ok
        if conn:
            conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=loop) for _ in range(CONNECTIONS)]
    cpu_before = time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies), errors[0], time.process_time() - cpu_before


def _percentile(values, fraction) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def _serve(log: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench._settings",
        "DATABASE_URL": _database_url(),
        "WEB_CONCURRENCY": "2",
        "PORT": str(port),
        "BIND": "127.0.0.1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_FORMAT": "plain",
        "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
    }
    with log.open("w") as output:
        server = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/bench/floor/", timeout=2)
            return server
        except requests.RequestException:
            time.sleep(0.5)
    raise RuntimeError(f"make serve did not answer:\n{log.read_text()[-2000:]}")


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


RACE_PLACES, RACE_MEMBERS, RACE_DEADLINE = 50, 200, 60


def _race_setup():
    """A public event with RACE_PLACES places and RACE_MEMBERS members' API tokens."""
    from ruche.accounts.services import api_token_create
    from ruche.events.enums import EventKind
    from ruche.events.services.events import event_create
    from ruche.members.models import Member

    members = list(Member.objects.filter(is_active=True).order_by("pk")[:RACE_MEMBERS])
    start = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    event = event_create(
        actor=members[0],
        title="Course aux places (bench)",
        kind=EventKind.APERO,
        start=start,
        end=start + datetime.timedelta(hours=2),
        location="Ségur, salle du bench",
        capacity=RACE_PLACES,
        is_public=True,
    )
    secrets = [api_token_create(actor=m, member=m, name="bench-race")[1] for m in members]
    return event, secrets


def _race(port: int) -> dict:
    """RACE_MEMBERS members register at the same instant for RACE_PLACES places through the
    API, against both web processes: RSVPs/s, errors, and whether the answers and the database
    hold exactly the places and the waiting list in order (as tests/events/test_rsvp_concurrency
    .py checks)."""
    from ruche.events.enums import RsvpStatus
    from ruche.events.models import Rsvp

    event, secrets = _race_setup()
    start_line = threading.Barrier(len(secrets), timeout=RACE_DEADLINE)

    def rsvp(secret: str):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=RACE_DEADLINE)
        start_line.wait()
        try:
            conn.request("POST", f"/api/v1/events/{event.pk}/rsvp", headers=_bearer(secret))
            response = conn.getresponse()
            body = response.read()
            return response.status, json.loads(body) if response.status == 200 else None
        except (OSError, http.client.HTTPException, ValueError):
            return None, None
        finally:
            conn.close()

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=len(secrets)) as pool:
        results = list(pool.map(rsvp, secrets))
    elapsed = time.monotonic() - began
    answers = [body for status, body in results if status == 200]
    positions = sorted(a["position"] for a in answers if a["status"] == "waitlisted")
    rows = list(Rsvp.objects.filter(event=event).order_by("queue_number"))
    waiting = len(secrets) - RACE_PLACES
    exact = (
        sum(a["status"] == "confirmed" for a in answers) == RACE_PLACES
        and positions == list(range(1, waiting + 1))
        and [r.status for r in rows]
        == [RsvpStatus.CONFIRMED] * RACE_PLACES + [RsvpStatus.WAITLISTED] * waiting
    )
    return {
        "rsvps": len(secrets),
        "places": RACE_PLACES,
        "seconds": elapsed,
        "rps": len(secrets) / elapsed,
        "errors": len(results) - len(answers),
        "exact": exact,
    }


def _bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def _measure_page(port: int, workers, page, headers, queries) -> dict:
    label, path, _api = page
    warm = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    warm.request("GET", path, headers=headers)
    status = warm.getresponse().status
    warm.close()
    before = _cpu_seconds(workers)
    latencies, count, errors, own_cpu = _drive(port, path, headers)
    cpu = _cpu_seconds(workers) - before
    return {
        "page": label,
        "status": status,
        "rps": count / SECONDS,
        "p50": _percentile(latencies, 0.50) * 1000,
        "p95": _percentile(latencies, 0.95) * 1000,
        "p99": _percentile(latencies, 0.99) * 1000,
        "cpu_ms": cpu * 1000 / count if count else 0.0,
        "client_ms": own_cpu * 1000 / count if count else 0.0,
        "queries": queries[label],
        "errors": errors,
    }


def _measure_scale(bench, scale: int) -> dict:
    bench.reset()
    with bench.measure(f"seed_demo --scale {scale}"):
        call_command("seed_demo", "--scale", str(scale), stdout=io.StringIO())
    member, session_key, secret = _member_credentials()
    pages = _pages(member)
    bench.note(f"event page: {pages[7][1]}, profile: {pages[10][1]}")
    queries = _queries(member, pages)
    port = _free_port()
    log = ROOT / "var" / "bench" / f"serve-{bench.target}-{scale}.log"
    server = _serve(log, port)
    rows = []
    try:
        workers = _descendants(server.pid)
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
        for page in pages:
            headers = _bearer(secret) if page[2] else cookie
            row = _measure_page(port, workers, page, headers, queries)
            rows.append(row)
            bench.note(
                f"{row['page']:<26} {row['rps']:7.1f} req/s  p50 {row['p50']:6.1f}  p95 "
                f"{row['p95']:6.1f}  p99 {row['p99']:6.1f} ms  CPU {row['cpu_ms']:5.1f} ms/req  "
                f"(load generator {row['client_ms']:4.2f})  {row['queries']} queries  "
                f"{row['errors']} errors"
            )
        race = _race(port)
        bench.note(
            f"RSVP race: {race['rsvps']} on {race['places']} places in {race['seconds']:.2f} s "
            f"({race['rps']:.0f}/s), {race['errors']} errors, exact: {race['exact']}"
        )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    floor = rows[0]["rps"] or 1
    for row in rows:
        row["share"] = row["rps"] / floor
    return {"scale": scale, "rows": rows, "race": race}


def _markdown(target: str, results: list[dict], imports: dict) -> str:
    lines = [
        f"# HTTP benchmark — {target}",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, `make serve` with 2 sync "
        f"workers, {CONNECTIONS} connections from 127.0.0.1 signed in as a member, "
        f"{SECONDS:.0f} s per page, {os.cpu_count()} cores (shared with other work). CPU: the "
        "gunicorn workers' user + system time over the run divided by the requests served; "
        "load generator: this process's own CPU per request (it runs on the same cores). The "
        "event page is the first upcoming public one-off event with a confirmed speaker and "
        "registrations, tied to nothing else; the profile a member whose page describes the same "
        "kinds of subjects at every scale (see bench/http.py).",
        "",
    ]
    for result in results:
        lines += _scale_table(result)
    if len(results) > 1:
        first, last = results[0], results[-1]
        same = [
            row["page"]
            for row, other in zip(first["rows"], last["rows"], strict=True)
            if row["queries"] == other["queries"]
        ]
        lines += [
            f"Same query count at scale {first['scale']} and {last['scale']}: "
            f"{len(same)} of {len(first['rows'])} pages.",
            "",
        ]
    lines += _race_table(results) + _imports_table(imports)
    return "\n".join(lines)


def _scale_table(result: dict) -> list[str]:
    lines = [
        f"## Scale {result['scale']}",
        "",
        "| page | status | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | load generator "
        "CPU ms/req | SQL queries | share of floor | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['page']} | {row['status']} | {row['rps']:.1f} | {row['p50']:.1f} | "
            f"{row['p95']:.1f} | {row['p99']:.1f} | {row['cpu_ms']:.1f} | "
            f"{row['client_ms']:.2f} | "
            f"{row['queries'] if row['queries'] is not None else '—'} | "
            f"{row['share']:.0%} | {row['errors']} |"
        )
    return [*lines, ""]


def _race_table(results: list[dict]) -> list[str]:
    lines = [
        "## RSVP race",
        "",
        f"{RACE_MEMBERS} members register at the same instant (one API request each, "
        f"`POST /api/v1/events/<id>/rsvp`) for {RACE_PLACES} places, against the same 2 web "
        "processes. Exact: the answers and the database give exactly the places and the waiting "
        "list in order of arrival, each member at the position they were told.",
        "",
        "| scale | RSVPs | seconds | RSVPs/s | errors | exact |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        race = result["race"]
        lines.append(
            f"| {result['scale']} | {race['rsvps']} | {race['seconds']:.2f} | "
            f"{race['rps']:.0f} | {race['errors']} | {'yes' if race['exact'] else '**no**'} |"
        )
    return [*lines, ""]


def _imports_table(imports: dict) -> list[str]:
    lines = ["## beta.gouv import", ""]
    if "skipped" in imports:
        return [*lines, f"Skipped: {imports['skipped']}.", ""]
    lines += [
        "`manage.py import_betagouv` on the snapshot (`../shared/data`), into an empty "
        "database, in this process.",
        "",
        "| run | seconds | goal | result |",
        "|---|---|---|---|",
    ]
    for label, seconds, goal, members in imports["timings"]:
        held = "held" if seconds <= goal else "**missed**"
        lines.append(f"| {label} | {seconds:.1f} | ≤ {goal:.0f} s ({held}) | {members} |")
    return [*lines, ""]


def _chart(path: Path, target: str, results: list[dict]) -> None:
    """Server CPU ms per request, one bar per page and scale (Pillow: no plotting library)."""
    from PIL import Image, ImageDraw

    pages = [row["page"] for row in results[0]["rows"]]
    width, bar, gap, left = 1000, 14, 10, 230
    height = 60 + len(pages) * (bar * len(results) + gap)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    top = max(row["cpu_ms"] for result in results for row in result["rows"]) or 1
    colours = ["#000091", "#e1000f", "#18753c", "#b34000"]
    draw.text((10, 10), f"Server CPU ms per request - {target}", fill="black")
    for index, result in enumerate(results):
        draw.rectangle((600 + index * 120, 10, 612 + index * 120, 22), fill=colours[index % 4])
        draw.text((616 + index * 120, 10), f"scale {result['scale']}", fill="black")
    y = 40
    for position, page in enumerate(pages):
        draw.text((10, y + 2), page, fill="black")
        for index, result in enumerate(results):
            value = result["rows"][position]["cpu_ms"]
            length = int((width - left - 80) * value / top)
            draw.rectangle((left, y, left + length, y + bar - 2), fill=colours[index % 4])
            draw.text((left + length + 4, y), f"{value:.1f}", fill="black")
            y += bar
        y += gap
    image.save(path)


def run(bench) -> None:
    from bench import import_betagouv

    results = [_measure_scale(bench, scale) for scale in SCALES]
    bench.reset()
    imports = import_betagouv.measure(bench)
    RESULTS.mkdir(exist_ok=True)
    stem = f"http-{bench.target}"
    (RESULTS / f"{stem}.md").write_text(_markdown(bench.target, results, imports))
    _chart(RESULTS / f"{stem}.png", bench.target, results)
    bench.note(f"report: bench/results/{stem}.md, chart: bench/results/{stem}.png")
    sys.stdout.flush()
