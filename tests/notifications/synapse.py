"""A real Matrix homeserver for the tests: Synapse (the `matrix-synapse` package), installed by
the tests into a virtualenv of its own under var/ (never into Ruche's dependencies; kept, so it
installs once), started on 127.0.0.1 on a free port with SQLite, with a bot registered through
the shared secret and a room.

Without network on a developer's clone the install cannot happen and the tests are skipped with
the reason; on CI (CI set) they fail instead, so a green run always means they ran."""

import fcntl
import hashlib
import hmac
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

VERSION = "1.163.2"
SHARED_SECRET = "ruche-tests-shared-secret"
STARTUP_LIMIT = 90  # seconds


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"Synapse is needed on CI and could not be installed: {reason}")
    pytest.skip(f"Synapse could not be installed (no network?): {reason}")


def synapse_python(var: Path) -> Path:
    """The Python of Synapse's own virtualenv, installing it the first time (one process at a
    time: test runs in parallel wait for the first one's install)."""
    venv = var / "synapse-venv"
    var.mkdir(exist_ok=True)
    with (var / "synapse-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _installed(venv)


def _installed(venv: Path) -> Path:
    python = venv / "bin" / "python"
    marker = venv / f".installed-{VERSION}"
    if marker.exists():
        return python
    try:
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", f"matrix-synapse=={VERSION}"],
            check=True,
            timeout=900,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as error:
        _unavailable((error.stderr or "")[-1500:])
    except (OSError, subprocess.TimeoutExpired) as error:
        _unavailable(str(error))
    marker.touch()
    return python


class Synapse:
    def __init__(self, python: Path, directory: Path, port: int):
        self.python = python
        self.directory = directory
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen | None = None
        self.config = directory / "homeserver.yaml"
        self.config.write_text(
            json.dumps(  # YAML reads JSON
                {
                    "server_name": "ruche.test",
                    "pid_file": str(directory / "homeserver.pid"),
                    "listeners": [
                        {
                            "port": port,
                            "bind_addresses": ["127.0.0.1"],
                            "type": "http",
                            "tls": False,
                            "resources": [{"names": ["client"], "compress": False}],
                        }
                    ],
                    "database": {
                        "name": "sqlite3",
                        "args": {"database": str(directory / "homeserver.db")},
                    },
                    "media_store_path": str(directory / "media"),
                    "signing_key_path": str(directory / "signing.key"),
                    "registration_shared_secret": SHARED_SECRET,
                    "report_stats": False,
                    "trusted_key_servers": [],
                    "suppress_key_server_warning": True,
                    "enable_metrics": False,
                    "rc_message": {"per_second": 1000, "burst_count": 1000},
                    "rc_login": {"address": {"per_second": 1000, "burst_count": 1000}},
                }
            )
        )
        subprocess.run(
            [
                str(python),
                "-m",
                "synapse.app.homeserver",
                "-c",
                str(self.config),
                "--generate-keys",
            ],
            check=True,
            timeout=STARTUP_LIMIT,
            capture_output=True,
        )

    def start(self) -> float:
        """Starts the server and waits until it answers; returns how long that took."""
        started = time.monotonic()
        with (self.directory / "synapse.log").open("a") as log:
            self.process = subprocess.Popen(
                [str(self.python), "-m", "synapse.app.homeserver", "-c", str(self.config)],
                cwd=self.directory,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        while time.monotonic() - started < STARTUP_LIMIT:
            if self.process.poll() is not None:
                pytest.fail(
                    f"Synapse stopped:\n{(self.directory / 'synapse.log').read_text()[-3000:]}"
                )
            try:
                self.request("GET", "/_matrix/client/versions")
                return time.monotonic() - started
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail(f"Synapse did not answer within {STARTUP_LIMIT} s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def request(self, method: str, path: str, body: dict | None = None, token: str = "") -> dict:
        request = urllib.request.Request(
            f"{self.url}{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read() or b"{}")

    def register(self, username: str) -> str:
        """A user registered with the shared secret (the admin API); returns its token."""
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        password = f"{username}-password"
        mac = hmac.new(
            SHARED_SECRET.encode(),
            b"\0".join([nonce.encode(), username.encode(), password.encode(), b"notadmin"]),
            hashlib.sha1,
        ).hexdigest()
        answer = self.request(
            "POST",
            "/_synapse/admin/v1/register",
            {"nonce": nonce, "username": username, "password": password, "mac": mac},
        )
        return answer["access_token"]

    def create_room(self, token: str) -> str:
        return self.request("POST", "/_matrix/client/v3/createRoom", {"name": "Ruche"}, token)[
            "room_id"
        ]

    def messages(self, room: str, token: str) -> list[dict]:
        """The m.room.message events of the room, oldest first."""
        answer = self.request(
            "GET", f"/_matrix/client/v3/rooms/{quote(room)}/messages?dir=b&limit=100", token=token
        )
        events = [e for e in answer["chunk"] if e["type"] == "m.room.message"]
        return list(reversed(events))
