"""Runs the benchmarks: `python -m bench [NAME ...]`.

The parent process starts one child per database (SQLite always; PostgreSQL too when
DATABASE_URL is set), so that each child configures Django for its own database. A child
creates a throwaway database, runs each benchmark module on an empty one, then drops it.
"""

import argparse
import contextlib
import importlib
import io
import logging
import os
import pkgutil
import secrets
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def discover() -> list[str]:
    package = Path(__file__).resolve().parent
    return sorted(
        info.name for info in pkgutil.iter_modules([str(package)]) if not info.name.startswith("_")
    )


def parent(names: list[str]) -> int:
    targets = [("sqlite", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")]
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        targets.append(("postgresql", database_url))
    elif database_url:
        print(f"DATABASE_URL is not PostgreSQL ({database_url.split(':')[0]}): SQLite only.")
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    failed = 0
    for target, url in targets:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # Timings as in production: no query logging, no debug toolbar of any kind.
            "DEBUG": "0",
            "DEMO_MODE": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        }
        command = [sys.executable, "-m", "bench", "--child", target, *names]
        failed |= subprocess.run(command, env=env, cwd=ROOT, check=False).returncode  # noqa: S603
    return failed


def child(target: str, names: list[str]) -> int:
    import django

    # Pages are timed without collectstatic: WhiteNoise's warning about it is noise here.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    django.setup()
    # One log line per timed request would drown the figures.
    logging.getLogger("ruche.request").setLevel(logging.WARNING)
    from django.db import connection

    from bench import Bench

    known = discover()
    unknown = sorted(set(names) - set(known))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Known: {', '.join(known)}.")
        return 2
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        settings_dict["TEST"]["NAME"] = str(settings_dict["NAME"])
    else:
        settings_dict["TEST"]["NAME"] = f"{settings_dict['NAME']}_bench"
    original_name = settings_dict["NAME"]
    with contextlib.redirect_stdout(io.StringIO()):  # createcachetable talks regardless
        name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    print(f"== {target}: throwaway database {name} ==", flush=True)
    bench = Bench(target, out=lambda line: print(line, flush=True))
    try:
        for module_name in names or known:
            print(f"{module_name}", flush=True)
            bench.reset()
            started = time.perf_counter()
            importlib.import_module(f"bench.{module_name}").run(bench)
            print(f"  ({module_name}: {time.perf_counter() - started:.1f} s in all)", flush=True)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument("--child", metavar="TARGET", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.child, options.names)
    return parent(options.names)


if __name__ == "__main__":
    sys.exit(main())
