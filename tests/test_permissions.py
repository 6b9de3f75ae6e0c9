"""Permission coverage: every URL pattern of the site has cases (tests/<app>/permissions.py, in
the shape of tests/permissions.py), and each case holds for an anonymous visitor, a member, an
animation-team member and an admin."""

import importlib
import inspect
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import MemberFactory, StartupFactory
from tests.helpers import ANIMATION_TEAM
from tests.permissions import Case, World

ROLES = ["anonymous", "member", "animator", "admin"]
# Django's admin checks its own permissions; only its entry page is ours to cover.
ADMIN_PATTERNS_COVERED = {"admin:index"}


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(Path(__file__).parent.glob("*/permissions.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.permissions")
        cases.extend(module.CASES)
    return cases


def _api_methods(callback) -> list[str] | None:
    """The HTTP methods of a django-ninja route (each must have its case), None for a view."""
    if not inspect.isfunction(callback):
        return None
    path_view = inspect.getclosurevars(callback).nonlocals.get("self")
    operations = getattr(path_view, "operations", None)
    if operations is None:
        return None
    return sorted({method.lower() for operation in operations for method in operation.methods})


def _walk(patterns, namespace="", route=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner, route + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, namespace, route + str(pattern.pattern), pattern.callback


def site_patterns() -> tuple[dict, list[str]]:
    """{(url name, method or None): route} for every pattern that needs cases, and the routes
    of patterns that have no name (a case cannot refer to them)."""
    needed, unnamed = {}, []
    serving = tuple(
        prefix.lstrip("/") for prefix in (settings.STATIC_URL, settings.MEDIA_URL) if prefix
    )
    for name, namespace, route, callback in _walk(get_resolver().url_patterns):
        if namespace.startswith("admin:") and name not in ADMIN_PATTERNS_COVERED:
            continue
        if route.startswith(serving) or callback.__module__ == "django.views.static":
            continue
        if name is None:
            unnamed.append(route)
            continue
        methods = _api_methods(callback)
        for method in methods or [None]:
            needed[(name, method)] = route
    return needed, unnamed


CASES = load_cases()


def test_every_url_pattern_has_a_permission_case():
    needed, unnamed = site_patterns()
    covered = {(case.url_name, case.method.lower()) for case in CASES}
    covered_names = {name for name, _method in covered}
    missing = [
        f"  {name}{f' ({method.upper()})' if method else ''}: /{route}"
        for (name, method), route in sorted(needed.items(), key=lambda item: item[1])
        if ((name, method) not in covered if method else name not in covered_names)
    ]
    known = {name for name, _method in needed}
    stale = sorted({case.url_name for case in CASES} - known)
    problems = []
    if missing:
        problems.append(
            "These URL patterns have no permission case; add one to tests/<app>/permissions.py "
            "(see tests/permissions.py):\n" + "\n".join(missing)
        )
    if unnamed:
        listed = "\n".join(f"  /{route}" for route in unnamed)
        problems.append(f"These URL patterns have no name:\n{listed}")
    if stale:
        problems.append("These cases name no URL pattern:\n" + "\n".join(f"  {n}" for n in stale))
    assert not problems, "\n\n".join(problems)


def _case_id(case: Case, index: int) -> str:
    parts = [case.url_name, case.method.lower()]
    if case.api:
        parts.append("api")
    return f"{'-'.join(parts)}-{index}"


def _expected(case: Case, role: str) -> tuple:
    expected = getattr(case, role)
    if role == "animator" and expected is None:
        expected = case.member
    return expected if isinstance(expected, tuple) else (expected,)


def _world() -> World:
    startup = StartupFactory()
    people = {
        "owner": {"display_name": "Olivia Porteuse"},
        "member": {"display_name": "Marc Membre"},
        "animator": {"display_name": "Anna Animatrice", "transverse_role": ANIMATION_TEAM},
        "admin": {"display_name": "Adam Admin", "is_staff": True, "is_superuser": True},
    }
    return World(
        **{
            role: MemberFactory(mission__startups=[startup], **attributes)
            for role, attributes in people.items()
        }
    )


def _request(client, case: Case, role: str, world: World):
    url = reverse(case.url_name, kwargs=case.kwargs(world) if case.kwargs else None)
    if case.query:
        url += "?" + case.query.lstrip("?")
    data = case.data(world) if case.data else None
    person = None if role == "anonymous" else getattr(world, role)
    method = case.method.lower()
    if case.api:
        from ruche.accounts.services import api_token_create

        headers = {}
        if person is not None:
            _token, secret = api_token_create(actor=person, member=person, name="permissions")
            headers["Authorization"] = f"Bearer {secret}"
        if method == "get":
            return url, client.get(url, data=data, headers=headers)
        body = json.dumps(data or {})
        return url, client.generic(
            method.upper(), url, body, content_type="application/json", headers=headers
        )
    if person is not None:
        client.force_login(person)
    return url, getattr(client, method)(url, data=data or {})


@pytest.mark.parametrize(
    ("case", "role"),
    [(case, role) for case in CASES for role in ROLES],
    ids=[f"{_case_id(case, i)}-{role}" for i, case in enumerate(CASES) for role in ROLES],
)
def test_permission(case, role, client, db):
    world = _world()
    url, response = _request(client, case, role, world)
    if response.streaming:
        b"".join(response.streaming_content)  # reading it to the end closes the file served
    expected = _expected(case, role)
    assert response.status_code in expected, (
        f"{case.method.upper()} {url} as {role}: expected {' or '.join(map(str, expected))}, "
        f"got {response.status_code}"
    )
    signs_in_alone = case.url_name.startswith("admin:")  # Django's admin has its own sign-in
    if (
        role == "anonymous"
        and response.status_code == 302
        and case.method.lower() == "get"
        and not signs_in_alone
    ):
        # A page closed to visitors sends them to sign in, and back afterwards.
        login = resolve_url(settings.LOGIN_URL)
        assert response["Location"].startswith(f"{login}?next="), (
            f"GET {url} sends a visitor to {response['Location']}, not to the sign-in page"
        )
