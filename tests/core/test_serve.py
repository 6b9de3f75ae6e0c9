"""`manage.py serve`, the last step of `make run`: the web server and the worker start together,
say how to sign in, print sign-in links in the terminal, and stop together."""

import os
import re
import signal
import subprocess
import sys
import threading

import pytest
import requests

from tests.servers import ROOT, free_port, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture
def served(tmp_path):
    """A fresh database with one member, then `manage.py serve` on a free port as `make run`
    starts it (DEBUG, DEMO_MODE, console e-mail, no BASE_URL)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DEBUG": "1",
        "DEMO_MODE": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'ruche.sqlite3'}",
    }
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--noinput"],
        ["shell", "-c", "from ruche.members.models import Member as M; "
         "M.objects.create_user('ada@beta.gouv.fr', 'Ada Lovelace')"],
    ):  # fmt: skip
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*manage, "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output = []
    reader = threading.Thread(target=lambda: output.extend(server.stdout), daemon=True)
    reader.start()
    try:
        yield base, server, output
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        reader.join(timeout=5)
        server.stdout.close()


def test_the_web_server_and_the_worker_start_together_and_links_reach_the_terminal(served):
    base, server, output = served

    def worker_running():
        try:
            health = requests.get(f"{base}/healthz", timeout=2).json()
        except requests.RequestException:
            return False
        return health["queue"]["worker_running"]

    wait_for(worker_running, 60, "the worker's heartbeat on /healthz")
    printed = "".join(output)
    assert f"Ruche is starting on {base}/" in printed
    assert f"open {base}/connexion/ and pick a demo persona" in printed

    browser = requests.Session()
    browser.get(f"{base}/connexion/", timeout=5)
    answer = browser.post(
        f"{base}/connexion/",
        data={"email": "ada@beta.gouv.fr", "csrfmiddlewaretoken": browser.cookies["csrftoken"]},
        headers={"Referer": f"{base}/connexion/"},
        timeout=5,
    )
    assert answer.url == f"{base}/connexion/envoye/"

    link_pattern = re.compile(rf"^{re.escape(base)}/connexion/lien/[\w-]+/$", re.M)
    link = wait_for(lambda: link_pattern.search("".join(output)), 30, "the link")[0]
    assert "Se connecter" in browser.get(link, timeout=5).text
    done = "send_sign_in_link state=SUCCESSFUL"
    wait_for(lambda: done in "".join(output), 10, "the task's log line")
    assert "".join(output).count(done) == 1, "each log line is printed once"

    server.send_signal(signal.SIGTERM)
    server.wait(timeout=15)
    # The worker was started by the server, in its process group: nothing of it is left.
    wait_for(lambda: not _group_alive(server.pid), 15, "the worker to stop")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True
