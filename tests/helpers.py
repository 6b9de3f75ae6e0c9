"""Helpers shared by the test suite: a community to fill pages with, the demo personas, a crawler
that finds every page a person can reach, and query-count assertions.

A later app makes its pages part of the crawl just by linking to them (from the navigation, the
footer or any page already reached); to put data on them, add it in `build_community`'s callers
(or in the app's own fixtures) before crawling.
"""

import datetime
import json
import re
import subprocess
import sys
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone

from ruche.members.enums import Domaine, MissionStatus
from ruche.members.models import Competence
from ruche.members.personas import PERSONAS_BY_KEY
from tests.factories import (
    IncubatorFactory,
    MemberFactory,
    MissionFactory,
    OrganisationFactory,
    StartupFactory,
)

ROOT = Path(__file__).resolve().parents[1]
ANIMATION_TEAM = "Équipe d’animation"
PERSONA_KEYS = ["newcomer", "member", "animation", "admin"]

# ---------------------------------------------------------------------------------------------
# People and data


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def make_persona(key: str, *, startups=(), **extra):
    """One of the demo personas (ruche/members/personas.py), built with factories: a newcomer
    (first mission three weeks old), a regular member, an animation-team member, an admin."""
    persona = PERSONAS_BY_KEY[key]
    attributes = {
        "newcomer": {"domaine": Domaine.DESIGN, "role": "Designer"},
        "member": {"domaine": Domaine.DEVELOPPEMENT, "role": "Développeur"},
        "animation": {
            "domaine": Domaine.ANIMATION,
            "role": "Animatrice de communauté",
            "transverse_role": ANIMATION_TEAM,
        },
        "admin": {
            "domaine": Domaine.SUPPORT,
            "role": "Administratrice technique",
            "is_staff": True,
            "is_superuser": True,
        },
    }[key]
    started = {"newcomer": 21, "member": 730, "animation": 1100, "admin": 900}[key]
    member = MemberFactory(
        betagouv_id=persona.betagouv_id,
        email=f"{persona.betagouv_id}@beta.gouv.fr",
        display_name=persona.display_name,
        mission=False,
        **{**attributes, **extra},
    )
    MissionFactory(
        member=member,
        start=days_ago(started),
        status=MissionStatus.INDEPENDENT,
        startups=list(startups) or [StartupFactory()],
    )
    return member


@dataclass
class Community:
    personas: dict = field(default_factory=dict)
    incubators: list = field(default_factory=list)
    startups: list = field(default_factory=list)
    members: list = field(default_factory=list)
    alumni: list = field(default_factory=list)


def build_community() -> Community:
    """A small but believable community, so that no page is crawled empty: two incubators, four
    startups, members with missions and competences, alumni, the four personas with a
    notification each and an API token for the regular member."""
    from ruche.accounts.services import api_token_create
    from ruche.notifications.models import Notification

    community = Community()
    dinum = OrganisationFactory(slug="dinum", name="Direction interministérielle du numérique")
    community.incubators = [
        IncubatorFactory(
            slug="incubateur-dinum",
            title="Incubateur de la DINUM",
            owner=dinum,
            address="20 avenue de Ségur, Paris",
            website="https://incubateur.example.org",
        ),
        IncubatorFactory(slug="fabrique-sociale", title="Fabrique numérique sociale"),
    ]
    first, second = community.incubators
    community.startups = [
        StartupFactory(
            slug="cantine-verte",
            name="Cantine Verte",
            incubator=first,
            pitch="Aider les cantines à servir des repas durables.",
            phase="construction",
            link="https://cantine.example.org",
            repository="https://code.example.org/cantine",
        ),
        StartupFactory(slug="velo-signal", name="Vélo Signal", incubator=first),
        StartupFactory(slug="dossier-clair", name="Dossier Clair", incubator=second),
        StartupFactory(slug="aidants-connect", name="Aidants Réunis", incubator=second),
    ]
    competences = [
        Competence.objects.create(name=name)
        for name in ("Django", "Accessibilité", "Facilitation", "Recherche utilisateur")
    ]
    names = [
        ("Élodie Martin", Domaine.PRODUIT, "Intrapreneuse"),
        ("Benoît Lefèvre", Domaine.DEVELOPPEMENT, "Développeur back-end"),
        ("Aïcha Diallo", Domaine.DESIGN, "Designer de services"),
        ("Hugo Garnier", Domaine.DATA, "Data scientist"),
        ("Léa Rousseau", Domaine.COACHING, "Coach produit"),
        ("Noé Chevalier", Domaine.DEPLOIEMENT, "Chargé de déploiement"),
    ]
    for index, (name, domaine, role) in enumerate(names):
        member = MemberFactory(display_name=name, domaine=domaine, role=role, mission=False)
        MissionFactory(
            member=member,
            start=days_ago(400 + index),
            startups=[community.startups[index % len(community.startups)]],
        )
        member.competences.set(competences[index % 2 :: 2])
        community.members.append(member)
    for index, name in enumerate(["Paul Durand", "Inès Morel"]):
        alumnus = MemberFactory(display_name=name, mission=False)
        MissionFactory(
            member=alumnus,
            start=days_ago(900),
            end=days_ago(100 + index),
            startups=[community.startups[index]],
        )
        community.alumni.append(alumnus)
    for key in PERSONA_KEYS:
        community.personas[key] = make_persona(
            key, startups=[community.startups[PERSONA_KEYS.index(key) % 4]]
        )
    regular = community.personas["member"]
    regular.bio = "Je développe **Cantine Verte**. Parlons [accessibilité](https://example.org) !"
    regular.github = "sachamoreau"
    regular.interests = ["vélo", "open data"]
    regular.languages = ["français", "anglais"]
    regular.save()
    regular.competences.set(competences[:2])
    regular.previous_startups.set([community.startups[3]])
    api_token_create(actor=regular, member=regular, name="Script d’export")
    for person in community.personas.values():
        Notification.objects.create(
            member=person, kind="test", subject="Bienvenue dans Ruche", url="/"
        )
        Notification.objects.create(
            member=person,
            kind="test",
            subject="Votre profil a été consulté",
            url="/membres/",
            read_at=timezone.now(),
        )
    return community


# ---------------------------------------------------------------------------------------------
# Crawling

# Pages that are not ours to check (Django's admin, the API and its Swagger page) and are never
# crawled; each still has permission cases (tests/test_permissions.py).
UNCRAWLED_NAMESPACES = {"admin", "api"}
# Pages that act rather than show (they are forms today; skipped should a link ever lead there).
UNCRAWLED_NAMES = {"accounts:logout", "accounts:set-language", "accounts:demo-login"}
LOCAL_SCHEMES = {"", "http", "https"}


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") and "download" not in attributes:
            self.hrefs.append(attributes["href"])


def links_in(html: str) -> list[str]:
    """The targets of the <a href> of a page (forms, such as sign-out or the language switch,
    are not links and are not followed)."""
    parser = _LinkParser()
    parser.feed(html)
    return parser.hrefs


def url_name(path: str) -> str | None:
    """The URL pattern name ("members:member-detail") of a path of this site, or None when no
    pattern matches or the page is not crawled."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if set(match.namespaces) & UNCRAWLED_NAMESPACES or match.view_name in UNCRAWLED_NAMES:
        return None
    return match.view_name


@dataclass
class CrawledPage:
    url: str
    name: str
    found_on: str
    response: object = field(repr=False)

    @property
    def is_html(self) -> bool:
        return self.response.get("Content-Type", "").startswith("text/html")


# Pages a member reaches through a form rather than a link (the header's search bar): give them
# to `crawl` as `also` for someone who may use that form.
FORM_PAGES = ("/recherche/?q=ma",)


def crawl(client, start: str = "/", also=()) -> list[CrawledPage]:
    """Every kind of page a person can reach by following links from `start` (and from the
    pages in `also`): breadth first, the first URL met for each URL pattern name (so one detail
    page of each kind), links to other sites, fragments, downloads, the admin and the API left
    out. Fails on a link to a page that answers with an error."""
    queue = deque([(start, "—"), *((url, "a form") for url in also)])
    seen = set()
    pages, broken = [], []
    while queue:
        url, found_on = queue.popleft()
        name = url_name(url)
        if name is None or name in seen:
            continue
        seen.add(name)
        response = client.get(url)
        page = CrawledPage(url=url, name=name, found_on=found_on, response=response)
        if response.status_code >= 400:
            broken.append(f"{url} ({name}) answers {response.status_code}, linked from {found_on}")
            continue
        pages.append(page)
        if response.status_code != 200 or not page.is_html:
            continue
        for href in links_in(response.text):
            target = urlsplit(urljoin(url, href))
            if target.netloc not in ("", "testserver") or target.scheme not in LOCAL_SCHEMES:
                continue  # another site, mailto:, tel:…
            if target.path == urlsplit(url).path and not target.query:
                continue  # a link to the page itself or to one of its fragments
            queue.append((target.path + (f"?{target.query}" if target.query else ""), url))
    assert not broken, "Broken internal links:\n" + "\n".join(broken)
    return pages


# ---------------------------------------------------------------------------------------------
# Query counts

_NUMBERS = re.compile(r"\b\d+\b|'[^']*'")


def _shape(sql: str) -> str:
    return _NUMBERS.sub("?", sql)


def assert_constant_queries(
    client, url: str, add_rows: Callable[[int], None], *, few: int = 10, many: int = 200
):
    """Asserts that `url` runs as many queries with `many` rows as with `few`: `add_rows(n)`
    adds n more rows of whatever the page lists. A failure lists the queries that grew, which
    is usually an N+1 to fix with select_related / prefetch_related."""
    add_rows(few)
    assert client.get(url).status_code == 200  # warms per-process caches (content types…)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200
    add_rows(many - few)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    if len(large) != len(small):
        grown = Counter(_shape(q["sql"]) for q in large) - Counter(_shape(q["sql"]) for q in small)
        report = "\n".join(f"  +{count} × {sql[:300]}" for sql, count in grown.most_common(10))
        raise AssertionError(
            f"{url} runs {len(small)} queries with {few} rows but {len(large)} with {many}:\n"
            f"{report}"
        )
    return len(small)


# ---------------------------------------------------------------------------------------------
# Races


def run_at_once(calls: list[Callable]) -> list:
    """Runs each of `calls` in its own thread, all released together, each with its own
    database connection as separate workers would have; returns what they returned, in the
    order they finished. The test needs `django_db(transaction=True)` for the threads to see
    its rows."""
    start_line = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            start_line.wait(timeout=10)
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


# ---------------------------------------------------------------------------------------------
# Probes: settings that depend on the environment are read once per process, so tests of other
# settings run a script of their own in a fresh Python process.


def run_probe(script: str, env: dict) -> dict:
    """Runs `script` (a path from the repository root) with `env`; returns the JSON object it
    prints last."""
    result = subprocess.run(
        [sys.executable, script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
