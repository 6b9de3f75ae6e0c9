"""The production web server as an operator runs it: `make serve` (gunicorn, DEBUG off, static
files collected at start only when needed, WhiteNoise serving them hashed and compressed), the
500 page when static files were never collected, and a bounded number of database connections
whatever server runs Ruche."""

import json
import os
import runpy
import secrets
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from ruche.accounts.services import api_token_create
from tests.factories import MemberFactory
from tests.servers import GUNICORN, ROOT, database_url, free_port, running, wait_for

pytestmark = pytest.mark.slow
HOST = "127.0.0.1"
HTTPS = {"X-Forwarded-Proto": "https"}
# A deadline for one answer, not a wait: a process's first request (it loads the URLs, the
# templates) can take long on a loaded machine.
ANSWER_SECONDS = 60


def production_env(tmp_path: Path, **overrides) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "BASE_URL": f"https://{HOST}",
        "ALLOWED_HOSTS": HOST,
        "EMAIL_URL": "smtp://smtp.example.gouv.fr:587?tls=1",
        "DATABASE_URL": database_url(),
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "STATIC_ROOT": str(tmp_path / "static"),
        **overrides,
    }
    return {name: value for name, value in env.items() if value is not None}


def _json_lines(log: Path) -> list[dict]:
    lines = []
    for line in log.read_text().splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


@pytest.mark.django_db(transaction=True)
def test_make_serve_runs_gunicorn_without_debug_and_collects_static_files_once(tmp_path):
    port = free_port()
    env = production_env(tmp_path, PORT=str(port), WEB_CONCURRENCY="2")
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    make_serve = ["make", "--no-print-directory", "serve"]

    # Collecting every static file (compressed twice) takes a while on a busy machine.
    with running(make_serve, env=env, log=first_log, port=port, startup_seconds=300) as base:
        # One process answered; the other may still be on its way.
        wait_for(
            lambda: first_log.read_text().count("Booting worker with pid") >= 2,
            ANSWER_SECONDS,
            "both web processes",
        )
        page = requests.get(f"{base}/", headers=HTTPS, timeout=ANSWER_SECONDS)
        assert page.status_code == 200
        stylesheet = next(
            part.split('"')[1]
            for part in page.text.split("href=")
            if part.startswith('"/static/ruche/css/dsfr.')
        )
        css = requests.get(
            f"{base}{stylesheet}",
            headers={**HTTPS, "Accept-Encoding": "gzip"},
            timeout=ANSWER_SECONDS,
        )
        plain_http = requests.get(
            f"{base}/initiatives/", allow_redirects=False, timeout=ANSWER_SECONDS
        )
        missing = requests.get(f"{base}/pas-de-page-ici/", headers=HTTPS, timeout=ANSWER_SECONDS)
        request_id = page.headers["X-Request-ID"]

    printed = first_log.read_text()
    assert "DEBUG=0" in printed
    assert "never collected" in printed
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert printed.count("Booting worker with pid") == 2
    # The DSFR bundle (ruche/core/dsfr_css.py), hashed (cached for a year by browsers) and
    # compressed by WhiteNoise.
    assert stylesheet.count(".") == 2, stylesheet
    assert css.status_code == 200
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]
    assert plain_http.status_code == 301
    assert plain_http.headers["Location"] == f"https://{HOST}:{port}/initiatives/"
    assert missing.status_code == 404
    assert "Page introuvable" in missing.text
    assert "Traceback" not in missing.text  # DEBUG is off
    [line] = [entry for entry in _json_lines(first_log) if entry.get("request_id") == request_id]
    assert line | {"duration_ms": 0} == {
        "time": line["time"],
        "level": "INFO",
        "logger": "ruche.request",
        "message": line["message"],
        "request_id": request_id,
        "method": "GET",
        "path": "/",
        "status": 200,
        "duration_ms": 0,
        "member_id": None,
    }

    # The next start finds the static files current and goes straight to serving.
    with running(make_serve, env=env, log=second_log, port=port):
        pass
    assert "are up to date" in second_log.read_text()
    assert "Collecting" not in second_log.read_text()


def test_static_files_are_collected_again_when_a_source_file_changes(tmp_path, settings):
    from ruche.core.management.commands.collectstatic_if_needed import why_collect

    source = tmp_path / "source"
    (source / "ruche").mkdir(parents=True)
    (source / "ruche" / "site.css").write_text("body { color: black; }")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    from django.core.management import call_command

    assert why_collect(settings.STATIC_ROOT) == "never collected"
    call_command("collectstatic", interactive=False, verbosity=0)
    assert why_collect(settings.STATIC_ROOT) is None

    later = time.time() + 5
    os.utime(source / "ruche" / "site.css", (later, later))
    assert why_collect(settings.STATIC_ROOT) == "ruche/site.css changed"
    (source / "ruche" / "new.js").write_text("")
    assert why_collect(settings.STATIC_ROOT) in {"ruche/new.js is new", "ruche/site.css changed"}


@pytest.mark.parametrize(
    ("configured", "cores", "expected"),
    [(None, 1, 3), (None, 2, 4), (None, 8, 4), ("3", 8, 3), ("1", 1, 1)],
)
def test_gunicorn_runs_web_concurrency_workers_or_two_per_core_plus_one_up_to_four(
    monkeypatch, configured, cores, expected
):
    if configured is None:
        monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    else:
        monkeypatch.setenv("WEB_CONCURRENCY", configured)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)

    loaded = runpy.run_path(str(ROOT / "config" / "gunicorn.py"))

    assert loaded["workers"] == expected
    assert loaded["accesslog"] is None  # it would print raw addresses, tokens included
    assert loaded["secure_scheme_headers"] == {}


@pytest.mark.django_db(transaction=True)
def test_the_500_page_renders_when_static_files_were_never_collected(tmp_path):
    port = free_port()
    env = production_env(tmp_path)
    command = [GUNICORN, "config.wsgi", "--workers", "1", "--bind", f"{HOST}:{port}"]

    with running(command, env=env, log=tmp_path / "gunicorn.log", port=port) as base:
        response = requests.get(f"{base}/", headers=HTTPS, timeout=ANSWER_SECONDS)

    assert response.status_code == 500
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>Erreur inattendue</h1>" in response.text
    assert "réessayez dans quelques minutes" in response.text
    assert '<html lang="fr">' in response.text
    logged = (tmp_path / "gunicorn.log").read_text()
    assert "Missing staticfiles manifest entry" in logged
    assert "The error page could not render its layout" in logged


CLIENTS = 64
POOL_SIZE = 3
APPLICATION = "ruche-connection-bound-test"


def _count_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION]
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    ("server", "processes"),
    [("runserver", 1), ("gunicorn", 2)],
)
@pytest.mark.django_db(transaction=True)
def test_database_connections_stay_bounded_under_64_simultaneous_clients(
    tmp_path, cache_table, server, processes
):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server whose connections could run out.")
    member = MemberFactory()
    _token, secret = api_token_create(actor=member, member=member, name="charge")
    port = free_port()
    # libpq names the server's connections, so that only theirs are counted.
    env = production_env(
        tmp_path, DATABASE_POOL_SIZE=str(POOL_SIZE), PGAPPNAME=APPLICATION, SECURE_SSL_REDIRECT="0"
    )
    command = {
        "runserver": [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
        "gunicorn": [GUNICORN, "config.wsgi", "--workers", "2", "--bind", f"{HOST}:{port}"],
    }[server]
    paths = ["/api/v1/events", "/api/v1/initiatives", "/api/v1/members", "/readyz"]
    seen = []
    done = threading.Event()

    def watch():
        # Counts once more after the clients are done (the server still runs): never nothing.
        while True:
            seen.append(_count_connections())
            if done.is_set():
                break
            time.sleep(0.02)
        connection.close()

    with running(command, env=env, log=tmp_path / "server.log", port=port) as base:
        start_line = threading.Barrier(CLIENTS, timeout=ANSWER_SECONDS)

        def client(index: int) -> int:
            session = requests.Session()
            start_line.wait()
            answer = session.get(
                f"{base}{paths[index % len(paths)]}",
                headers={"Authorization": f"Bearer {secret}"},
                timeout=ANSWER_SECONDS,
            )
            return answer.status_code

        watcher = threading.Thread(target=watch)
        watcher.start()
        try:
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                statuses = list(pool.map(client, range(CLIENTS), timeout=2 * ANSWER_SECONDS))
        finally:
            done.set()
            watcher.join(timeout=ANSWER_SECONDS)
        assert not watcher.is_alive(), "the count of connections did not come back"

    assert sorted(set(statuses)) == [200, 503], statuses  # /readyz: no worker runs here
    assert statuses.count(200) == CLIENTS - CLIENTS // len(paths)
    assert "too many clients" not in (tmp_path / "server.log").read_text()
    print(f"\n{server}: at most {max(seen)} connections for {CLIENTS} clients")
    assert 1 <= max(seen) <= processes * POOL_SIZE, seen


def test_the_procfile_declares_the_web_server_the_worker_and_migrations_after_deploying():
    from django.core.management import get_commands

    processes = dict(
        line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line
    )

    assert processes.keys() == {"web", "worker", "postdeploy"}
    web = processes["web"].split()
    assert web[:3] == ["gunicorn", "--config", "config/gunicorn.py"]
    module, _, name = runpy.run_path(str(ROOT / web[2]))["wsgi_app"].partition(":")
    assert (module, name) == ("config.wsgi", "application")
    for process in ("worker", "postdeploy"):
        python, manage, command, *_options = processes[process].split()
        assert (python, manage) == ("python", "manage.py")
        assert command in get_commands(), process
    assert processes["postdeploy"].split()[2] == "migrate"
