"""One view idiom (ruche/core/actions.py): views hand a service's refusal to `submitted()` (a
form) or `attempt()` and `tell()` (an in-place action), and never catch it themselves, so that
every page shows a refusal the same way."""

import ast
from pathlib import Path

import pytest

RUCHE = Path(__file__).resolve().parents[2] / "ruche"
VIEWS = sorted({*RUCHE.glob("*/views.py"), *RUCHE.glob("*/views/*.py")})


def _caught(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            names += [f"{node.lineno}: {ast.unparse(kind)}" for kind in types]
    return names


@pytest.mark.parametrize("path", VIEWS, ids=lambda path: str(path.relative_to(RUCHE)))
def test_views_leave_refusals_to_the_idiom(path):
    caught = [
        line
        for line in _caught(ast.parse(path.read_text()))
        if line.endswith(("ValidationError", "PermissionDenied"))
    ]
    assert not caught, "Use submitted(), attempt() and tell() from ruche.core.actions:\n" + (
        "\n".join(caught)
    )


def test_every_app_with_pages_is_checked():
    apps = {path.relative_to(RUCHE).parts[0] for path in VIEWS}
    assert {"initiatives", "events", "members", "accounts", "notifications", "health"} <= apps
