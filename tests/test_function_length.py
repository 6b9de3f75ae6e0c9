"""Functions stay short enough to read at once: over 60 lines, split one along the seams it
already has (a check, a loop, a side effect) into functions that say what each part does."""

import ast
from pathlib import Path

RUCHE = Path(__file__).resolve().parents[1] / "ruche"
LIMIT = 60


def _long_functions(root: Path):
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > LIMIT:
                    yield f"{path.relative_to(root.parent)}:{node.lineno} {node.name}: {length}"


def test_no_function_is_longer_than_sixty_lines():
    too_long = list(_long_functions(RUCHE))
    assert not too_long, "Split along its seams:\n" + "\n".join(too_long)


def test_the_check_measures_functions(tmp_path):
    body = "\n".join(f"    x = {n}" for n in range(LIMIT))
    (tmp_path / "long.py").write_text(f"def f():\n{body}\n")
    assert [line.split(" ")[1] for line in _long_functions(tmp_path)] == ["f:"]
