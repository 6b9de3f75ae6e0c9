"""Helpers for tests that need the real queue or look at every stored byte."""

import re
import signal

from django.core import mail
from django.core.management import call_command
from django.db import connection

SIGNALS = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", signal.SIGTERM)]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker_once(*args: str) -> None:
    """`manage.py worker --once` in this process. The worker installs its own signal handlers
    (graceful shutdown); put pytest's back afterwards."""
    saved = {signum: signal.getsignal(signum) for signum in SIGNALS}
    try:
        call_command("worker", "--once", "--interval", "0", *args)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def rows_containing(text: str) -> list[str]:
    """Every table of the database (models, task queue, sessions, cache…) whose rows hold
    `text` anywhere, as "table: row"."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if any(text in _as_text(value) for value in row):
                    found.append(f"{table}: {row!r}")
    return found


def _as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return str(value)


MAGIC_LINK = re.compile(r"https?://[^/\s]+(/connexion/lien/([A-Za-z0-9_-]+)/)")


def sign_in_link_in(message: mail.EmailMessage) -> tuple[str, str]:
    """(path, secret) of the sign-in link in an e-mail."""
    match = MAGIC_LINK.search(message.body)
    assert match, f"No sign-in link in:\n{message.body}"
    return match.group(1), match.group(2)
