# ruff: noqa: S608, S611 — the SQL here is built from constant names; a searched word only ever
# travels as a query parameter.
"""The directory's name search (`search_text` contains each word) through a trigram index,
rather than by reading every member's search_text:

- SQLite: an FTS5 table with the trigram tokenizer over members_member.search_text (external
  content), kept in sync by triggers; a word of 3 letters or more is looked up there.
- PostgreSQL: a GIN pg_trgm index on search_text, which `LIKE '%word%'` uses by itself.

Created by migration 0006 through `install()`. On SQLite, a later migration that rebuilds
members_member (Django does so to alter a column) drops the triggers: call `install()` again
after it (tests/members/test_directory.py checks that a renamed member is found at once).
"""

from django.db.models import Q
from django.db.models.expressions import RawSQL

TABLE = "members_member"
FTS = "members_member_trigrams"
# The trigram tokenizer finds nothing shorter than a trigram: shorter words are matched by LIKE.
MIN_LENGTH = 3

_SQLITE = [
    f"DROP TABLE IF EXISTS {FTS}",
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, content='{TABLE}', content_rowid='id', "
    "tokenize='trigram')",
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "  # nosec B608
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "  # nosec B608
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE OF search_text ON {TABLE} BEGIN "  # nosec B608
    f"INSERT INTO {FTS}({FTS}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",  # nosec B608
]
_POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS {TABLE}_search_trgm ON {TABLE} USING gin "
    "(search_text gin_trgm_ops)",
]


def install(schema_editor) -> None:
    """Creates (or re-creates) the index and fills it."""
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for suffix in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TABLE}_search_trgm")


def contains(word: str, vendor: str) -> Q:
    """search_text contains `word` (already folded), through the index where it can serve."""
    if vendor != "sqlite" or len(word) < MIN_LENGTH:
        return Q(search_text__contains=word)
    phrase = '"' + word.replace('"', '""') + '"'
    matching = RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [phrase])  # nosec B611 B608
    return Q(pk__in=matching)
