"""Only services write: in every app, views, the API, forms, feeds, page helpers, template tags
and management commands read and call services, so that every write goes through the
permission checks and the ledger. (Demo data, ruche/demo, is the top layer and seeds through
services too, but also writes history no service would: it is left out.)"""

import ast
from pathlib import Path

import pytest

RUCHE = Path(__file__).resolve().parents[1] / "ruche"
# Modules that read, by their role: a module of one of these names, or in one of these folders.
READER_NAMES = {
    "views.py",
    "api.py",
    "forms.py",
    "home.py",
    "feeds.py",
    "listing.py",
    "ics.py",
    "site_search.py",
    "context_processors.py",
    "urls.py",
    "admin.py",
}
READER_FOLDERS = {"views", "templatetags", "commands"}
WRITES = {"save", "create", "bulk_create", "bulk_update", "delete", "get_or_create"}
WRITES |= {"update_or_create", "record", "notify", "notify_many"}
QUERYSET_STEPS = {"objects", "filter", "exclude", "all", "select_for_update"}


def _readers() -> list[Path]:
    return [
        path
        for path in sorted(RUCHE.rglob("*.py"))
        if "migrations" not in path.parts
        and path.relative_to(RUCHE).parts[0] != "demo"
        and (path.name in READER_NAMES or path.parent.name in READER_FOLDERS)
    ]


def _on_a_queryset(node: ast.expr) -> bool:
    """`Model.objects.filter(…)`: a receiver `.update()` writes through (a dict's does not)."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr in QUERYSET_STEPS:
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _writes(tree: ast.AST):
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        if isinstance(receiver, ast.Name) and receiver.id == "router":
            continue  # django-ninja's @router.delete(…) declares a route
        if name in WRITES or (name == "update" and _on_a_queryset(receiver)):
            yield node.lineno, name


@pytest.mark.parametrize("path", _readers(), ids=lambda path: str(path.relative_to(RUCHE.parent)))
def test_nothing_but_services_writes(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    calls = [f"{path.name}:{line} .{name}()" for line, name in _writes(tree)]
    assert not calls, "Write through a service instead:\n" + "\n".join(calls)


def test_the_readers_of_every_app_are_checked():
    checked = {str(path.relative_to(RUCHE)) for path in _readers()}
    assert {
        "initiatives/views/needs.py",
        "initiatives/api.py",
        "events/views/events.py",
        "events/api.py",
        "events/ics.py",
        "members/views.py",
        "notifications/views.py",
        "health/views.py",
        "accounts/views.py",
        "core/templatetags/ruche.py",
        "core/management/commands/worker.py",
    } <= checked


def test_the_check_sees_a_write():
    """Guards the check itself: a walk that found nothing would pass every file."""
    source = "Event.objects.filter(pk=1).update(title='x')\nrow.save()\nform.attrs.update({})"
    assert [name for _line, name in _writes(ast.parse(source))] == ["update", "save"]
