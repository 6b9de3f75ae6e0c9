"""Only services write: views, the API, forms and page helpers read and call services, so that
every write goes through the permission checks and the ledger."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "ruche" / "initiatives"
READERS = [
    *sorted((APP / "views").glob("*.py")),
    APP / "api.py",
    APP / "forms.py",
    APP / "home.py",
    APP / "feeds.py",
    APP / "listing.py",
]
WRITES = {"save", "create", "bulk_create", "bulk_update", "delete", "get_or_create"}
WRITES |= {"update_or_create", "record", "notify"}


@pytest.mark.parametrize("path", READERS, ids=lambda path: path.name)
def test_nothing_but_services_writes(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    calls = [
        f"{path.name}:{node.lineno} .{node.func.attr}()"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in WRITES
    ]
    assert not calls, "Write through a service instead:\n" + "\n".join(calls)


def test_the_readers_are_all_checked():
    names = {path.name for path in READERS}
    assert {"initiatives.py", "needs.py", "moderation.py", "api.py"} <= names
