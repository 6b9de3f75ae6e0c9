"""The Nu HTML Checker (vnu), from npm's `vnu-jar` package at a pinned version, installed by
the tests into var/vnu (never globally; kept, so it installs once), run by Java. Without Java
or npm, or without network on a first run, the check is skipped with the reason; on CI (CI set)
it fails instead, so a green run always means it ran."""

import fcntl
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

VERSION = "26.9.27"


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"The Nu HTML Checker is needed on CI: {reason}")
    pytest.skip(f"The Nu HTML Checker is not available: {reason}")


def vnu_jar(var: Path) -> Path:
    """vnu.jar, installing it the first time (one test process at a time)."""
    if shutil.which("java") is None:
        _unavailable("no Java runtime (Debian: default-jre-headless)")
    prefix = var / "vnu"
    jar = prefix / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    var.mkdir(exist_ok=True)
    with (var / "vnu.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = prefix / f".installed-{VERSION}"
        if marker.exists() and jar.exists():
            return jar
        npm = shutil.which("npm")
        if npm is None:
            _unavailable("no npm to install vnu-jar with (Debian: npm)")
        try:
            subprocess.run(
                [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund",
                 "--ignore-scripts", f"vnu-jar@{VERSION}"],
                check=True, capture_output=True, text=True, timeout=600,
            )  # fmt: skip
        except subprocess.CalledProcessError as error:
            _unavailable((error.stderr or "")[-1500:])
        except (OSError, subprocess.TimeoutExpired) as error:
            _unavailable(str(error))
        marker.touch()
    return jar


def vnu_errors(jar: Path, files: list[Path]) -> list[dict]:
    """The errors vnu finds in `files`, all checked in one run (the JVM is slow to start); each
    names its file as `file:<path>`."""
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always",
         *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    try:
        return json.loads(done.stderr)["messages"]
    except ValueError:
        pytest.fail(f"vnu answered {done.returncode}:\n{done.stderr[-3000:]}")
