"""Benchmarks: `make bench` (python -m bench) runs every module of this package against a
throwaway database, SQLite under var/bench/ and also PostgreSQL when DATABASE_URL is set.

A benchmark is a module here with a `run(bench)` function; `bench` is a `Bench`. Modules whose
name starts with "_" are helpers. Benchmarks print timings; they never assert on them.
"""

import time
from contextlib import contextmanager

from django.core.management import call_command


class Bench:
    """What a benchmark module is given: a timer that prints, and a way to start afresh."""

    def __init__(self, target: str, out=print):
        self.target = target
        self.out = out

    @contextmanager
    def measure(self, label: str):
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.out(f"  {label:<60} {elapsed:8.2f} s")

    def note(self, text: str) -> None:
        self.out(f"    {text}")

    def skip(self, reason: str) -> None:
        self.out(f"  skipped: {reason}")

    def reset(self) -> None:
        """Empties every table, so the next measure starts from a fresh database."""
        call_command("flush", interactive=False, verbosity=0)
