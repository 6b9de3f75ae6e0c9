"""Ruche served as in production, measured from outside: `make serve` (gunicorn, 2 sync
workers, DEBUG off) on the demo community at each scale of BENCH_SCALES (default "1 10"),
driven from 127.0.0.1 by 16 connections signed in as the « member » persona, each page for
BENCH_SECONDS (default 5). For each page: requests/s, p50/p95/p99, the workers' CPU time per
request (read from /proc: steadier than wall time on a shared machine), SQL queries per
request (counted in this process with the test client, at every scale), and throughput as a
share of a bare view's (the floor). Writes a markdown report and a PNG chart under
bench/results/.
"""

import datetime
import io
import os
import subprocess
import sys
import threading
import time
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


def _pages() -> list[tuple[str, str, bool]]:
    """(label, path, API) of each page measured; the floor first."""
    from ruche.events.models import Event
    from ruche.initiatives.models import Initiative
    from ruche.members.models import Member

    event = Event.objects.filter(start__gte=datetime.datetime.now(datetime.UTC)).order_by("start")
    event = event.first() or Event.objects.order_by("-start").first()
    initiative = Initiative.objects.filter(hidden=False).order_by("-created_at").first()
    profile = Member.objects.filter(is_active=True).order_by("pk")[10]
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


def _drive(base, path, headers) -> tuple[list[float], int, int]:
    """CONNECTIONS loops on one path for SECONDS: latencies, requests, errors."""
    latencies, errors, lock = [], [0], threading.Lock()
    deadline = time.monotonic() + SECONDS

    def loop():
        with requests.Session() as session:
            mine, failed = [], 0
            while time.monotonic() < deadline:
                began = time.perf_counter()
                try:
                    response = session.get(base + path, headers=headers, timeout=30)
                    response.content  # noqa: B018 — read to the end, as a browser does
                    ok = response.status_code < 400
                except requests.RequestException:
                    ok = False
                mine.append(time.perf_counter() - began)
                failed += not ok
            with lock:
                latencies.extend(mine)
                errors[0] += failed

    threads = [threading.Thread(target=loop) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(latencies), errors[0]


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


def _measure_scale(bench, scale: int) -> dict:
    bench.reset()
    with bench.measure(f"seed_demo --scale {scale}"):
        call_command("seed_demo", "--scale", str(scale), stdout=io.StringIO())
    member, session_key, secret = _member_credentials()
    pages = _pages()
    queries = _queries(member, pages)
    port = _free_port()
    log = ROOT / "var" / "bench" / f"serve-{bench.target}-{scale}.log"
    server = _serve(log, port)
    rows = []
    try:
        workers = _descendants(server.pid)
        base = f"http://127.0.0.1:{port}"
        cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
        for label, path, api in pages:
            headers = {"Authorization": f"Bearer {secret}"} if api else cookie
            _drive_once = requests.get(base + path, headers=headers, timeout=30)  # warm up
            before = _cpu_seconds(workers)
            latencies, count, errors = _drive(base, path, headers)
            cpu = _cpu_seconds(workers) - before
            row = {
                "page": label,
                "status": _drive_once.status_code,
                "rps": count / SECONDS,
                "p50": _percentile(latencies, 0.50) * 1000,
                "p95": _percentile(latencies, 0.95) * 1000,
                "p99": _percentile(latencies, 0.99) * 1000,
                "cpu_ms": cpu * 1000 / count if count else 0.0,
                "queries": queries[label],
                "errors": errors,
            }
            rows.append(row)
            bench.note(
                f"{label:<26} {row['rps']:7.1f} req/s  p50 {row['p50']:6.1f}  p95 "
                f"{row['p95']:6.1f}  p99 {row['p99']:6.1f} ms  CPU {row['cpu_ms']:5.1f} ms/req  "
                f"{row['queries']} queries  {errors} errors"
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    floor = rows[0]["rps"] or 1
    for row in rows:
        row["share"] = row["rps"] / floor
    return {"scale": scale, "rows": rows}


def _markdown(target: str, results: list[dict]) -> str:
    lines = [
        f"# HTTP benchmark — {target}",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, `make serve` with 2 sync "
        f"workers, {CONNECTIONS} connections from 127.0.0.1 signed in as a member, "
        f"{SECONDS:.0f} s per page, {os.cpu_count()} cores (shared with other work). CPU: the "
        "gunicorn workers' user + system time over the run divided by the requests served.",
        "",
    ]
    for result in results:
        lines += [
            f"## Scale {result['scale']}",
            "",
            "| page | status | req/s | p50 ms | p95 ms | p99 ms | CPU ms/req | SQL queries "
            "| share of floor | errors |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for row in result["rows"]:
            lines.append(
                f"| {row['page']} | {row['status']} | {row['rps']:.1f} | {row['p50']:.1f} | "
                f"{row['p95']:.1f} | {row['p99']:.1f} | {row['cpu_ms']:.1f} | "
                f"{row['queries'] if row['queries'] is not None else '—'} | "
                f"{row['share']:.0%} | {row['errors']} |"
            )
        lines.append("")
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
    return "\n".join(lines)


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
    results = [_measure_scale(bench, scale) for scale in SCALES]
    RESULTS.mkdir(exist_ok=True)
    stem = f"http-{bench.target}"
    (RESULTS / f"{stem}.md").write_text(_markdown(bench.target, results))
    _chart(RESULTS / f"{stem}.png", bench.target, results)
    bench.note(f"report: bench/results/{stem}.md, chart: bench/results/{stem}.png")
    sys.stdout.flush()
