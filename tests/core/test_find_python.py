"""bin/find-python: how the Makefile picks the Python it builds .venv with."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "bin" / "find-python"


def find_python(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPT)],
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_takes_the_python_it_is_given():
    result = find_python(PYTHON=sys.executable)

    assert result.returncode == 0
    assert result.stdout.strip() == sys.executable


def test_it_refuses_a_given_python_that_is_too_old_or_missing(tmp_path):
    old = tmp_path / "python3.11"
    old.write_text("#!/bin/sh\nexit 1\n")  # what a Python < 3.12 answers to the version check
    old.chmod(0o755)

    for given in (str(old), str(tmp_path / "nothing-here")):
        result = find_python(PYTHON=given)
        assert result.returncode == 1
        assert f"PYTHON={given} is not Python >= 3.12" in result.stderr


def test_without_a_hint_it_finds_one_on_the_path():
    result = find_python(PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin")

    assert result.returncode == 0
    found = result.stdout.strip()
    check = "import sys; print(sys.version_info >= (3, 12))"
    assert subprocess.run([found, "-c", check], capture_output=True, text=True).stdout == "True\n"
