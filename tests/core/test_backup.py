"""`manage.py backup PATH` while Ruche runs and writes, `manage.py restore PATH` into a fresh
database: every table comes back, row for row, as one consistent moment; a database that holds
data is only overwritten on purpose (--force)."""

import contextlib
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import psycopg
import pytest
import requests
from django.core.management import CommandError, call_command
from django.db import connection

from ruche.accounts.services import api_token_create
from ruche.core.models import RateLimitCounter
from ruche.initiatives.models import Initiative
from ruche.notifications.models import Announcement
from tests.helpers import build_community
from tests.servers import GUNICORN, ROOT, database_url, free_port, running, server_env, wait_for

# SQLite's own bookkeeping: autoincrement counters and the search index's b-tree pages, which
# SQLite rewrites as it merges. The index is checked by FTS5's integrity-check instead.
SQLITE_INTERNAL = ("sqlite_", "initiatives_initiative_fts", "initiatives_need_fts")
# What one API call proposing an initiative writes, in one transaction, and the column naming
# the initiative in each table.
WRITTEN_PER_PROPOSAL = {
    "initiatives_initiative": ("id", 1),
    "initiatives_initiativelead": ("initiative_id", 1),
    "initiatives_statuschange": ("initiative_id", 1),
    "engagement_contribution": ("subject_id", 2),  # proposed, led
}


def manage(*args: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=server_env(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1", DATABASE_URL=database),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextlib.contextmanager
def fresh_database(tmp_path: Path, name: str = "restore"):
    """The URL of an empty database beside the test database (on PostgreSQL, named after it:
    test_ruche_…_restore), dropped at the end."""
    if connection.vendor == "sqlite":
        yield database_url(str(tmp_path / f"{name}.sqlite3"))
        return
    database = f"{connection.settings_dict['NAME']}_{name}"
    admin = _pg_admin()
    admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{database}"')
    try:
        yield database_url(database)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.close()


def _pg_admin():
    """A connection to the server's maintenance database, to create and drop others."""
    return psycopg.connect(_libpq_url(database_url("postgres")), autocommit=True)


def _libpq_url(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def every_table(url: str) -> dict[str, Counter]:
    """Each table of the database at `url` → its rows (as text, so that every type compares),
    read with the driver alone."""
    if url.startswith("sqlite:"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        names = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        names = [name for name in names if not name.startswith(SQLITE_INTERNAL)]
        quote = '"{}"'.format
    else:
        db = psycopg.connect(_libpq_url(url))
        names = [
            row[0]
            for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        quote = '"{}"'.format
    try:
        return {
            name: Counter(
                tuple(repr(value) for value in row)
                for row in db.execute(f"SELECT * FROM {quote(name)}")  # noqa: S608
            )
            for name in names
        }
    finally:
        db.close()


def _columns(url: str, table: str) -> list[str]:
    if url.startswith("sqlite:"):
        db = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            return [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        finally:
            db.close()
    with psycopg.connect(_libpq_url(url)) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "ORDER BY ordinal_position",
                [table],
            )
        ]


class Writer(threading.Thread):
    """A member proposing initiatives through the API, one after the other, until stopped."""

    def __init__(self, base: str, secret: str):
        super().__init__(daemon=True)
        self.base, self.secret = base, secret
        self.stopped = threading.Event()
        self.created = 0
        self.failures = []

    def run(self):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.secret}"
        while not self.stopped.is_set() and self.created < 2000:
            answer = session.post(
                f"{self.base}/api/v1/initiatives",
                json={
                    "title": f"Proposition n° {self.created + 1}",
                    "kind": "event",
                    "summary": "Écrite pendant la sauvegarde.",
                },
                timeout=30,
            )
            if answer.status_code == 201:
                self.created += 1
            else:
                self.failures.append((answer.status_code, answer.text[:300]))
                return


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_running_instance_restores_every_row_of_one_moment(tmp_path):
    build_community()
    writer_member = Initiative._meta.get_field("proposer").related_model.objects.first()
    _token, secret = api_token_create(actor=writer_member, member=writer_member, name="écriture")
    port = free_port()
    command = [GUNICORN, "config.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"]
    env = server_env(API_RATE_LIMIT_PER_MINUTE="100000")
    backup_path = tmp_path / "ruche.backup"

    with running(command, env=env, log=tmp_path / "gunicorn.log", port=port) as base:
        # The token's last use is stamped on first use: before the backup, not during it.
        requests.get(
            f"{base}/api/v1/initiatives", headers={"Authorization": f"Bearer {secret}"}, timeout=30
        )
        writer = Writer(base, secret)
        writer.start()
        try:
            wait_for(lambda: writer.created >= 5 or writer.failures, 60, "the first proposals")
            before = set(Initiative.objects.values_list("pk", flat=True))
            call_command("backup", str(backup_path))
            during = writer.created
            wait_for(lambda: writer.created >= during + 3 or writer.failures, 60, "more proposals")
        finally:
            writer.stopped.set()
            writer.join(timeout=60)
    assert writer.failures == []

    source_url = database_url()
    with fresh_database(tmp_path) as restored_url:
        result = manage("restore", str(backup_path), database=restored_url)
        assert result.returncode == 0, result.stderr
        assert "Restored" in result.stdout
        source, restored = every_table(source_url), every_table(restored_url)
        columns = {table: _columns(source_url, table) for table in WRITTEN_PER_PROPOSAL}
        if connection.vendor == "sqlite":
            check = manage(
                "shell", "-c",
                "from django.db import connection as c; c.cursor().execute("
                "\"INSERT INTO initiatives_initiative_fts(initiatives_initiative_fts, rank) "
                "VALUES ('integrity-check', 1)\")",
                database=restored_url,
            )  # fmt: skip
            assert check.returncode == 0, check.stderr

    assert source.keys() == restored.keys()
    assert len(source) > 30
    # Nothing the backup holds was invented or changed: every restored row is a source row
    # (but for the rate-limit counters, which each request of the writer updates in place).
    for table, rows in restored.items():
        if table != RateLimitCounter._meta.db_table:
            assert rows - source[table] == Counter(), table
    # The initiatives of one moment: all those before the backup began, none after it ended,
    # and each whole (what its transaction wrote is all there, or none of it).
    kept = {int(row[0]) for row in restored["initiatives_initiative"]}
    assert before <= kept
    print(f"\n{len(before)} before, {len(kept)} restored, {Initiative.objects.count()} in all")
    assert len(kept) < Initiative.objects.count()
    for table, (column, per_proposal) in WRITTEN_PER_PROPOSAL.items():
        index = columns[table].index(column)
        written_after = Counter()
        for row, count in (source[table] - restored[table]).items():
            written_after[int(row[index])] += count
        assert not set(written_after) & kept, table
        proposals = Counter(
            int(row[index])
            for row in restored[table].elements()
            if table != "engagement_contribution" or "'initiative'" in row
        )
        writers = {pk for pk in kept if pk not in before}
        assert all(proposals[pk] == per_proposal for pk in writers), table
    # Every other table comes back exactly.
    # (The announcement of each proposal names its initiative only in its text: those rows are
    # checked above, as a subset of the source's.)
    also_written = {RateLimitCounter._meta.db_table, Announcement._meta.db_table}
    for table in source.keys() - WRITTEN_PER_PROPOSAL.keys() - also_written:
        assert source[table] == restored[table], table


def _seed(url: str, *emails: str) -> None:
    """Migrates the database at `url` and adds a member for each address."""
    create = "; ".join(f"M.objects.create_user({email!r}, {email!r})" for email in emails)
    for args in (
        ["migrate", "--noinput"],
        ["shell", "-c", f"from ruche.members.models import Member as M; {create}"],
    ):
        result = manage(*args, database=url)
        assert result.returncode == 0, result.stderr


@pytest.mark.slow
@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data_unless_forced(tmp_path):
    with (
        fresh_database(tmp_path, "source") as source,
        fresh_database(tmp_path, "target") as target,
    ):
        _seed(source, "ada@beta.gouv.fr")
        _seed(target, "grace@beta.gouv.fr", "katherine@beta.gouv.fr")
        backup = tmp_path / "source.backup"
        assert manage("backup", str(backup), database=source).returncode == 0

        refused = manage("restore", str(backup), database=target)
        assert refused.returncode != 0
        assert "is not empty" in refused.stderr
        assert "members_member" in refused.stderr
        assert "Add --force" in refused.stderr
        assert every_table(target)["members_member"].total() == 2

        forced = manage("restore", str(backup), "--force", database=target)
        assert forced.returncode == 0, forced.stderr
        assert every_table(target) == every_table(source)


def test_a_freshly_migrated_database_counts_as_empty(db):
    from ruche.core.backup import tables_holding_data

    assert tables_holding_data() == []


def test_the_wrong_kind_of_backup_is_refused_clearly(tmp_path, db):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("Ceci n’est pas une sauvegarde.")

    with pytest.raises(CommandError, match=r"notes\.txt is not a .* backup"):
        call_command("restore", str(not_a_backup))
    with pytest.raises(CommandError, match=r"Cannot read .*absent\.dump"):
        call_command("restore", str(tmp_path / "absent.dump"))


def test_a_backup_into_a_missing_directory_is_refused_clearly(tmp_path, db):
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("backup", str(tmp_path / "nowhere" / "ruche.backup"))


def test_without_pg_dump_on_the_path_the_backup_says_what_to_install(tmp_path, db, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump is for PostgreSQL; SQLite is backed up by Python's sqlite3.")
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(CommandError, match="pg_dump was not found on PATH: install"):
        call_command("backup", str(tmp_path / "ruche.backup"))
    assert not (tmp_path / "ruche.backup").exists()
