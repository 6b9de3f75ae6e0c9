"""The front end as a mid-range phone sees it: Lighthouse 12.2.3 (mobile preset: simulated
slow 4G and a 4× slower CPU) on Debian's Chromium, against `make serve` (gunicorn, DEBUG off,
static files collected and compressed) on the demo community at scale 1, signed in as the
« member » persona (a session cookie sent with --extra-headers). For the home page, the
initiatives list and an event page: FCP, LCP, CLS, TBT, the performance and SEO scores, the
bytes transferred and the render-blocking bytes, the median of BENCH_LIGHTHOUSE_RUNS runs
(default 3). Writes bench/results/frontend.md; asserts nothing.

Lighthouse is installed on first use with `npm i -E lighthouse@12.2.3` into var/lighthouse
(git-ignored); the benchmark is skipped with a message when npm or Chromium is missing
(CHROME_PATH, default /usr/bin/chromium). The figures do not depend on the database, so it
runs against SQLite only.
"""

import datetime
import io
import json
import os
import shutil
import statistics
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from bench.http import ROOT, _free_port, _member_credentials, _serve

RESULTS = Path(__file__).resolve().parent / "results"
LIGHTHOUSE_VERSION = "12.2.3"
LIGHTHOUSE_DIR = ROOT / "var" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
REPORTS = ROOT / "var" / "bench" / "lighthouse"
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", 3))
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
TARGETS = {"lcp": 2500, "fcp": 1800, "cls": 0.1, "performance": 95, "seo": 95}


def _pages() -> list[tuple[str, str]]:
    from ruche.events.models import Event

    event = Event.objects.filter(start__gte=datetime.datetime.now(datetime.UTC)).order_by("start")
    event = event.first() or Event.objects.order_by("-start").first()
    return [
        ("home", "/"),
        ("initiatives list", "/initiatives/"),
        ("event page", event.get_absolute_url()),
    ]


def _missing_tools() -> str | None:
    """Why Lighthouse cannot run here, or None; installs it when only it is missing."""
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).exists():
        return f"no Chromium at {chrome} (set CHROME_PATH)"
    if LIGHTHOUSE.exists():
        return None
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        return "node/npm not found: Lighthouse cannot be installed"
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    installed = subprocess.run(  # noqa: S603
        [npm, "i", "-E", f"lighthouse@{LIGHTHOUSE_VERSION}", "--no-audit", "--no-fund"],
        cwd=LIGHTHOUSE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if installed.returncode or not LIGHTHOUSE.exists():
        return f"npm i lighthouse@{LIGHTHOUSE_VERSION} failed: {installed.stderr[-500:]}"
    return None


def _lighthouse(url: str, headers: dict, output: Path) -> dict:
    """One Lighthouse run (mobile preset, the default): the figures of its report, kept in
    `output` to be read when a figure needs explaining."""
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    subprocess.run(  # noqa: S603
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--only-categories=performance,seo",
            "--output=json",
            f"--output-path={output}",
            f"--chrome-flags={CHROME_FLAGS}",
            f"--extra-headers={json.dumps(headers)}",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        capture_output=True,
        check=True,
        timeout=300,
    )
    return figures(json.loads(output.read_text()))


def figures(report: dict) -> dict:
    """What the bench reports of one Lighthouse report. Render-blocking bytes: the audit's when
    it runs; it fails on Chromium versions newer than Lighthouse's (« frame_sequence »), and
    then they are the stylesheets' (all linked in the head; the scripts are deferred)."""
    audits = report["audits"]
    blocking = audits["render-blocking-resources"].get("details", {}).get("items", [])
    if audits["render-blocking-resources"]["score"] is None:
        requests = audits["network-requests"]["details"]["items"]
        blocking = [
            {"url": item["url"], "totalBytes": item["transferSize"]}
            for item in requests
            if item["resourceType"] == "Stylesheet"
        ]
    return {
        "fcp": audits["first-contentful-paint"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "seo": round(report["categories"]["seo"]["score"] * 100),
        "bytes": audits["total-byte-weight"]["numericValue"],
        "blocking": sum(item.get("totalBytes", 0) for item in blocking),
        "blocking_urls": sorted(item["url"].rsplit("/", 1)[-1] for item in blocking),
        "cpu_index": report["environment"]["benchmarkIndex"],
        "seo_failed": sorted(
            ref["id"]
            for ref in report["categories"]["seo"]["auditRefs"]
            if (audits[ref["id"]].get("score") is not None and audits[ref["id"]]["score"] < 1)
        ),
    }


def _median(runs: list[dict]) -> dict:
    row = {key: statistics.median(run[key] for run in runs) for key in TARGETS | {"tbt": 0}}
    for key in ("bytes", "blocking", "cpu_index"):
        row[key] = statistics.median(run[key] for run in runs)
    row["blocking_urls"] = runs[0]["blocking_urls"]
    row["seo_failed"] = sorted({audit for run in runs for audit in run["seo_failed"]})
    row["performance_range"] = (
        min(r["performance"] for r in runs),
        max(r["performance"] for r in runs),
    )
    row["lcp_range"] = (min(r["lcp"] for r in runs), max(r["lcp"] for r in runs))
    return row


def _met(row: dict) -> str:
    missed = [key for key in ("lcp", "fcp", "cls") if row[key] > TARGETS[key]]
    missed += [key for key in ("performance", "seo") if row[key] < TARGETS[key]]
    return "all met" if not missed else "missed: " + ", ".join(missed)


def _markdown(rows: list[tuple[str, str, dict]]) -> str:
    lines = [
        "# Front end — Lighthouse",
        "",
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, Lighthouse "
        f"{LIGHTHOUSE_VERSION}, mobile preset (simulated slow 4G, 4× CPU slowdown), Chromium "
        f"`{CHROME_FLAGS}`, median of {RUNS} runs per page; `make serve` (DEBUG off, static "
        "files collected and "
        "compressed) on the demo community at scale 1, signed in as a member, on a shared "
        f"{os.cpu_count()}-core machine. Targets (issue #15): LCP ≤ 2.5 s, FCP ≤ 1.8 s, "
        "CLS ≤ 0.1, performance ≥ 95, SEO ≥ 95. Load / CPU index: the machine's 1-minute load "
        "average when the page's runs ended, and Lighthouse's benchmark index of the CPU "
        "(median; Lighthouse warns below 1000): its simulated timings grow with the CPU time "
        "the page's main thread actually got, so a busy machine inflates them.",
        "",
        "| page | FCP s | LCP s (min–max) | CLS | TBT ms | performance (min–max) | SEO "
        "| KiB transferred | render-blocking KiB | load / CPU index | targets |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, path, row in rows:
        lines.append(
            f"| {label} (`{path}`) | {row['fcp'] / 1000:.2f} | {row['lcp'] / 1000:.2f} "
            f"({row['lcp_range'][0] / 1000:.2f}–{row['lcp_range'][1] / 1000:.2f}) | "
            f"{row['cls']:.3f} | {row['tbt']:.0f} | {row['performance']:.0f} "
            f"({row['performance_range'][0]}–{row['performance_range'][1]}) | {row['seo']:.0f} | "
            f"{row['bytes'] / 1024:.0f} | {row['blocking'] / 1024:.1f} | "
            f"{row['load']:.1f} / {row['cpu_index']:.0f} | "
            f"{_met(row)} |"
        )
    lines += ["", "Render-blocking resources (first run of each page):", ""]
    for label, _path, row in rows:
        lines.append(f"- {label}: {', '.join(row['blocking_urls']) or 'none'}")
    lines += ["", "SEO audits failed (in any run):", ""]
    for label, _path, row in rows:
        lines.append(f"- {label}: {', '.join(row['seo_failed']) or 'none'}")
    lines.append("")
    return "\n".join(lines)


def run(bench) -> None:
    if bench.target != "sqlite":
        bench.skip("front-end figures do not depend on the database: measured on SQLite only")
        return
    missing = _missing_tools()
    if missing:
        bench.skip(f"Lighthouse: {missing}")
        return
    with bench.measure("seed_demo --scale 1"):
        call_command("seed_demo", "--scale", "1", stdout=io.StringIO())
    _member, session_key, _secret = _member_credentials()
    pages = _pages()
    port = _free_port()
    server = _serve(ROOT / "var" / "bench" / "serve-frontend.log", port)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
    rows = []
    REPORTS.mkdir(parents=True, exist_ok=True)
    try:
        for label, path in pages:
            with bench.measure(f"Lighthouse × {RUNS}: {label}"):
                runs = [
                    _lighthouse(
                        f"http://127.0.0.1:{port}{path}", headers, REPORTS / f"{label}-{run}.json"
                    )
                    for run in range(RUNS)
                ]
                row = _median(runs)
                row["load"] = os.getloadavg()[0]
            rows.append((label, path, row))
            bench.note(
                f"{label:<18} FCP {row['fcp'] / 1000:.2f} s  LCP {row['lcp'] / 1000:.2f} s  "
                f"CLS {row['cls']:.3f}  TBT {row['tbt']:.0f} ms  perf {row['performance']:.0f}  "
                f"SEO {row['seo']:.0f}  {row['bytes'] / 1024:.0f} KiB "
                f"({row['blocking'] / 1024:.1f} KiB render-blocking)  {_met(row)}"
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "frontend.md").write_text(_markdown(rows))
    bench.note("report: bench/results/frontend.md")
