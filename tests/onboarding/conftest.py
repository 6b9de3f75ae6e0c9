"""Fixtures shared by the onboarding tests: the API caller is the events tests’ own."""

from tests.events.conftest import api  # noqa: F401
