import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Starts the web server and the background worker together (what `make run` uses)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *, port, host, **options):
        base = f"http://{host}:{port}"
        self.stdout.write(self.style.SUCCESS(f"\nRuche démarre sur {base}/"))
        if settings.DEMO_MODE:
            self.stdout.write(
                f"Pour vous connecter : ouvrez {base}/connexion/ et choisissez une personne de "
                "démonstration (nouvelle arrivante, membre, équipe d'animation, admin),\n"
                "ou saisissez une adresse : le lien de connexion s'affiche ici, dans ce terminal."
            )
        else:
            self.stdout.write(f"Connexion : {base}/connexion/ (le lien arrive par e-mail).")
        self.stdout.write("Arrêt : Ctrl+C.\n")
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
