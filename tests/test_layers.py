"""Apps import only from the layers below them (../shared/ARCHITECTURE.md, « Apps and the way
data flows »), so that nothing circles back: an app can change without the ones below it
noticing. Templates count too: including another app's template, or loading its tags, depends
on that app as much as an import does."""

import ast
import re
from pathlib import Path

import pytest

RUCHE = Path(__file__).resolve().parents[1] / "ruche"
# Bottom to top. An app may import from any layer below its own.
LAYERS = [
    {"core"},
    {"members", "accounts"},
    {"engagement", "notifications"},
    {"initiatives", "events", "groups"},
    # Read everything below: health, and onboarding (« S'engager »: suggestions, first steps).
    {"health", "onboarding"},
    # The API, and seed_demo's community (it uses every app's models and services).
    {"api", "demo"},
]
LAYER = {app: level for level, apps in enumerate(LAYERS) for app in apps}
ACTIVITY = LAYER["initiatives"]
# Apps of one layer may use each other in one direction only; activity apps only each other's
# models, services and enums.
ACTIVITY_MODULES = {"models", "services", "enums"}
# Known departures from the layers, each with its reason.
ALLOWED = {
    # Issue #2: every message to a member, the sign-in link included, goes through notify().
    ("accounts", "notifications"),
}
TEMPLATE_USE = re.compile(r"""\{%\s*(?:include|extends)\s+["'](\w+)/""")
TEMPLATE_TAGS = {"event_tags": "events", "health_tags": "health", "ruche": "core"}
TAG_LOAD = re.compile(r"\{%\s*load\s+([^%]+)%\}")


def _apps() -> list[str]:
    return sorted(path.parent.name for path in RUCHE.glob("*/apps.py"))


def _python_uses(app: str):
    """(other app, its module, where) for each import of another app in `app`'s code."""
    for path in sorted((RUCHE / app).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
                if node.module.count(".") == 1:  # from ruche.app import module
                    modules = [f"{node.module}.{alias.name}" for alias in node.names]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] == "ruche" and len(parts) > 1 and parts[1] != app:
                    where = f"{path.relative_to(RUCHE.parent)}:{node.lineno}"
                    yield parts[1], parts[2] if len(parts) > 2 else "", where


def _template_uses(app: str):
    apps = set(_apps())
    for path in sorted((RUCHE / app / "templates").rglob("*.html")):
        text = path.read_text()
        where = str(path.relative_to(RUCHE.parent))
        for other in TEMPLATE_USE.findall(text):
            if other in apps and other != app:
                yield other, "templates", where
        for libraries in TAG_LOAD.findall(text):
            for library in libraries.split():
                other = TEMPLATE_TAGS.get(library)
                if other and other != app:
                    yield other, "templatetags", where


def _uses(app: str):
    yield from _python_uses(app)
    yield from _template_uses(app)


def test_every_app_has_a_layer():
    assert set(_apps()) == set(LAYER)


@pytest.mark.parametrize("app", sorted(LAYER))
def test_an_app_uses_only_the_layers_below_it(app):
    wrong = []
    for other, module, where in _uses(app):
        if (app, other) in ALLOWED or LAYER[other] < LAYER[app]:
            continue
        if LAYER[other] == LAYER[app] and (LAYER[app] != ACTIVITY or module in ACTIVITY_MODULES):
            continue
        wrong.append(f"{where}: {app} uses {other}.{module}")
    assert not wrong, "Move the code, or offer an extension point below:\n" + "\n".join(wrong)


def test_apps_of_one_layer_depend_on_each_other_one_way_only():
    depends = {(app, other) for app in LAYER for other, _module, _where in _uses(app)}
    both_ways = sorted(
        (app, other) for app, other in depends if (other, app) in depends and app < other
    )
    assert not both_ways


def test_the_check_sees_imports_and_templates():
    """Guards the tests above: a walk that found nothing would pass them all."""
    events = {(other, module) for other, module, _where in _uses("events")}
    assert ("initiatives", "models") in events
    assert ("core", "templates") in events
    assert ("members", "models") in events


def test_no_app_imports_the_demo_data():
    """Demo data lives in ruche/demo alone: domain apps hold only the domain."""
    users = sorted(
        where
        for app in LAYER
        if app != "demo"
        for other, _m, where in _uses(app)
        if other == "demo"
    )
    assert not users
    assert not sorted(RUCHE.glob("*/demo.py"))


def test_packages_hand_on_no_names():
    """An `__init__.py` that re-exports its modules' names hides the real module from readers
    and tools: callers import from the module itself."""
    handing_on = [
        str(path.relative_to(RUCHE.parent))
        for path in sorted(RUCHE.rglob("__init__.py"))
        if any(
            isinstance(node, (ast.Import, ast.ImportFrom))
            for node in ast.walk(ast.parse(path.read_text()))
        )
    ]
    assert not handing_on


def _module_imports() -> dict[str, set[str]]:
    """Each module of ruche/ → the modules of ruche/ it imports, wherever the import stands
    (an import inside a function ties two modules as much as one at the top)."""
    modules = {
        ".".join(path.relative_to(RUCHE.parent).with_suffix("").parts).removesuffix(".__init__")
        for path in RUCHE.rglob("*.py")
    }
    graph = {}
    for path in sorted(RUCHE.rglob("*.py")):
        name = ".".join(path.relative_to(RUCHE.parent).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                candidates = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                candidates = [alias.name for alias in node.names]
            else:
                continue
            imported |= {candidate for candidate in candidates if candidate in modules}
        graph[name] = imported - {name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_modules_import_each_other_in_a_circle():
    """Services queue tasks, tasks call lower modules, never the services back: a circle
    means neither module can be read, or changed, without the other."""
    assert not _circles(_module_imports())


def test_the_circle_check_sees_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert "ruche.accounts.tasks" in _module_imports()["ruche.accounts.services"]


# The health figures' period and segment are checked in one place, the dashboard's form, which
# the page and the (read-only) API both use: nothing checks them twice.
READ_ONLY_FORMS = {"health"}


def test_the_api_builds_no_form():
    """Validate once: an API endpoint shapes its JSON with its schema and calls the service,
    which checks it; it never runs the page's form over it."""
    building = [
        f"{app}/api.py"
        for app in sorted(set(LAYER) - READ_ONLY_FORMS)
        if (RUCHE / app / "api.py").exists()
        and any(module == "forms" for _other, module, _where in _api_uses(app))
    ]
    assert not building


def _api_uses(app: str):
    path = RUCHE / app / "api.py"
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield None, node.module.rsplit(".", 1)[-1], f"{path}:{node.lineno}"
