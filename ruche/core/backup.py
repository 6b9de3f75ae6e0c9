"""Backing up and restoring the whole database while Ruche runs (`manage.py backup PATH`,
`manage.py restore PATH`).

SQLite: the sqlite3 backup API copies one consistent snapshot of the live file (with WAL,
writers go on meanwhile) into a SQLite file. PostgreSQL: pg_dump in its custom format (one
transaction, so consistent too), read back by pg_restore.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Rows that `migrate` itself writes: a database holding only these holds nothing to lose.
WRITTEN_BY_MIGRATE = {ContentType, Permission}
# libpq reads these from the environment: the password stays out of the process list.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """What went wrong, in a sentence for the operator."""


def backup(path: Path) -> str:
    """Writes a backup of the database to `path` (replaced only once complete); returns a
    sentence saying what was saved."""
    path = path.resolve()
    if not path.parent.is_dir():
        raise BackupError(f"{path.parent} is not a directory.")
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "sqlite":
            _backup_sqlite(partial)
        elif connection.vendor == "postgresql":
            _run_client("pg_dump", "--format=custom", f"--file={partial}", "--no-password")
        else:
            raise BackupError(f"Backing up a {connection.vendor} database is not supported.")
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return f"Backed up the {_describe()} to {path} ({_size(path)})."


def restore(path: Path, *, force: bool = False) -> str:
    """Replaces the database's content with the backup at `path`; refuses to overwrite a
    database that holds data unless `force`."""
    path = path.resolve()
    try:
        with path.open("rb") as backup_file:
            header = backup_file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror}.") from None
    expected = SQLITE_HEADER if connection.vendor == "sqlite" else PG_DUMP_HEADER
    if not header.startswith(expected):
        kind = {"sqlite": "SQLite", "postgresql": "PostgreSQL (pg_dump custom format)"}
        raise BackupError(
            f"{path} is not a {kind.get(connection.vendor, connection.vendor)} backup, "
            f"which the {_describe()} needs."
        )
    holding = tables_holding_data()
    if holding and not force:
        raise BackupError(
            f"The {_describe()} is not empty ({len(holding)} table(s) hold data, e.g. "
            f"{', '.join(holding[:3])}): restoring would replace it. Add --force to do so."
        )
    if connection.vendor == "sqlite":
        _restore_sqlite(path)
    else:
        existing = connection.introspection.table_names()
        # Tables that exist (a migrated database) are dropped and created again from the dump.
        clean = ["--clean", "--if-exists"] if existing else []
        _run_client(
            "pg_restore",
            *clean,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--no-password",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
        )
    connection.close()
    return f"Restored {path} into the {_describe()}."


def tables_holding_data() -> list[str]:
    """The tables of the database that hold rows other than those `migrate` writes."""
    existing = set(connection.introspection.table_names())
    holding = []
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model in WRITTEN_BY_MIGRATE or table not in existing:
            continue
        if model._base_manager.using(connection.alias).exists():
            holding.append(table)
    return sorted(holding)


def _backup_sqlite(target: Path) -> None:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        # All pages in one step: one read transaction, so one consistent snapshot.
        connection.connection.backup(copy)
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("The copy failed its integrity check: the backup was not written.")
    finally:
        copy.close()


def _restore_sqlite(source_path: Path) -> None:
    source = sqlite3.connect(f"{source_path.as_uri()}?mode=ro", uri=True)
    try:
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{source_path} fails SQLite's integrity check: nothing restored.")
        connection.ensure_connection()
        source.backup(connection.connection)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source_path} cannot be read as SQLite ({error}).") from None
    finally:
        source.close()


def _run_client(program: str, *args: str) -> None:
    executable = shutil.which(program)
    if executable is None:
        raise BackupError(
            f"{program} was not found on PATH: install PostgreSQL's client programs "
            f"(Debian: apt-get install postgresql-client), at least the server's version."
        )
    result = subprocess.run(  # noqa: S603 (a program found on PATH, no shell)
        [executable, *args], env=_libpq_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed (exit {result.returncode}):\n{result.stderr.strip()}")


def _libpq_env() -> dict[str, str]:
    settings_dict = connection.settings_dict
    env = {**os.environ, "PGDATABASE": settings_dict["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if option in settings_dict.get("OPTIONS", {}):
            env[variable] = str(settings_dict["OPTIONS"][option])
    return env


def _describe() -> str:
    name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(connection.vendor)
    return f"{name or connection.vendor} database {connection.settings_dict['NAME']}"


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"
