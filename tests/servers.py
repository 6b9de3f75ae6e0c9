"""Real server processes for tests (gunicorn, Django's runserver) on a free port of 127.0.0.1,
most often serving the test database to other processes (tests marked
`django_db(transaction=True)`, so that those processes see the test's rows)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(name: str | None = None) -> str:
    """The URL of the database this test runs on (or of another one, `name`, on the same
    PostgreSQL server), for other processes."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name or db['NAME']).resolve()}"
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{name or db['NAME']}"


def server_env(**overrides) -> dict:
    """The environment of a process serving the test database with the test settings."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "PYTHONPATH": str(ROOT),
        **overrides,
    }


def wait_for(predicate, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


@contextlib.contextmanager
def running(command: list[str], *, env: dict, log: Path, port: int, startup_seconds: float = 120):
    """Starts `command` (a server listening on `port`), waits until it answers /healthz
    (whatever the status) and yields its base URL; stops it, with its children, at the end.

    `startup_seconds` is a deadline, not a wait: a server that starts in two seconds is used
    after two seconds, and a loaded machine (starting Django takes long there, and a first
    request in each process longer still) gets the time it needs."""
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def answers():
        if server.poll() is not None:
            pytest.fail(f"{command[0]} stopped:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=10)
        except urllib.error.HTTPError:
            return True  # it answers (503 without a worker is fine here)
        except OSError:
            return False
        return True

    try:
        try:
            wait_for(answers, startup_seconds, f"{command[0]} to answer")
        except AssertionError as error:
            pytest.fail(f"{error}:\n{log.read_text()[-3000:]}")
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


@contextlib.contextmanager
def gunicorn(log: Path, *, workers: int = 4, preload: bool = False, **env: str):
    """Several gunicorn sync workers (separate processes) serving the test database on a free
    port of 127.0.0.1; yields the base URL. With `preload`, the application is loaded once
    before the workers are forked, so that each worker is ready as soon as it exists."""
    port = free_port()
    command = [
        GUNICORN, "config.wsgi", "--workers", str(workers), "--worker-class", "sync",
        "--bind", f"127.0.0.1:{port}", "--timeout", "60", "--backlog", "1024",
    ]  # fmt: skip
    if preload:
        command.append("--preload")
    with running(command, env=server_env(**env), log=log, port=port) as base:
        yield base
