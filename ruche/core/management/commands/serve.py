import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Starts the web server and the background worker together (what `make run` uses)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *, port: int, host: str, **options: Any) -> None:
        base = f"http://{host}:{port}"
        if "BASE_URL" not in os.environ:
            # Links in e-mails and feeds point at the port served, here and in the worker.
            os.environ["BASE_URL"] = settings.BASE_URL = base
        self.stdout.write(self.style.SUCCESS(f"\nRuche is starting on {base}/"))
        if settings.DEMO_MODE:
            self.stdout.write(
                f"To sign in, open {base}/connexion/ and pick a demo persona (newcomer, member,\n"
                "animation team, admin), or type an e-mail address: its sign-in link is printed\n"
                "here, in this terminal."
            )
        else:
            self.stdout.write(f"Sign in at {base}/connexion/ (the link is sent by e-mail).")
        self.stdout.write("Stop with Ctrl+C.\n")
        # Before the worker and the server write to the same terminal (or pipe, or log).
        self.stdout.flush()
        worker = subprocess.Popen([sys.executable, "manage.py", "worker"], cwd=settings.BASE_DIR)
        # Stopping the server (Ctrl+C, or SIGTERM from a supervisor) must stop the worker too.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        signal.signal(signal.SIGHUP, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
