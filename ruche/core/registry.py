"""Extension points that lower layers offer to the apps above them.

Core never imports an activity app: each app registers what it contributes (navigation entries,
home-page and account-page sections, blocks on another app's page, search results, periodic
jobs) from its AppConfig.ready(), and core iterates the registrations in `order`. Demo data is
registered by the demo app (ruche/demo), the top layer, for every part of community life.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from ruche.core.text import Label


@dataclass(frozen=True)
class NavItem:
    label: Label
    url_name: str
    order: int
    # URL prefixes under which this entry is the current page.
    prefixes: tuple[str, ...] = ()
    members_only: bool = False
    # Only for members of the animation team (a transverse role).
    animation_team_only: bool = False


@dataclass(frozen=True)
class HomeSection:
    """A block of the home page: `build(request)` returns a context dict for `template`, or
    None to hide the section. `public` sections are shown to visitors who are signed out,
    the others to signed-in members."""

    name: str
    template: str
    build: Callable[..., Any]
    order: int
    public: bool = False


@dataclass(frozen=True)
class AccountSection:
    """A block of « Mon compte » that an app above accounts contributes (e.g. the personal
    calendar link): `build(request)` returns a context dict for `template`, or None."""

    name: str
    template: str
    build: Callable[..., Any]
    order: int


@dataclass(frozen=True)
class PageSection:
    """A block an app contributes to a page of another app, which offers the slot by name
    (`page`, e.g. "initiatives.initiative" for an initiative's page) and so needs no import
    of the contributing app: `build(request, obj)` returns a context dict for `template`, or
    None, where `obj` is what the page shows."""

    page: str
    name: str
    template: str
    build: Callable[..., Any]
    order: int


def build_sections(
    sections: Iterable[Any], request: HttpRequest, *args: object
) -> list[dict[str, Any]]:
    """The context of each section to show, in order, for templates to include; `args` (a
    page section's object) are passed on to each section's `build`."""
    built = []
    for section in sections:
        context = section.build(request, *args)
        if context is not None:
            built.append({"name": section.name, "template": section.template, **context})
    return built


@dataclass(frozen=True)
class DemoSeeder:
    """Fills the demo database with one app's data: `seed(context)` where context is a
    `ruche.demo.context.DemoContext` shared by all seeders (random generator, scale, members…)."""

    name: str
    seed: Callable[..., Any]
    order: int


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    # A few words under the title: a status, a date, a role.
    detail: str = ""


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    # How many match in all; the full list of this kind, filtered by the same words.
    total: int
    more_url: str


@dataclass(frozen=True)
class SearchProvider:
    """One kind of result of the search across Ruche (/recherche/): `search(request, text,
    limit)` returns SearchResults with at most `limit` hits, the most relevant first, in a
    fixed number of queries whatever the data."""

    name: str
    label: Label
    search: Callable[..., Any]
    order: int


@dataclass(frozen=True)
class PeriodicJob:
    """A function the worker runs every `every_seconds`; it must be safe to run twice."""

    name: str
    run: Callable[..., Any]
    every_seconds: int


@dataclass(frozen=True)
class PersonalData:
    """What one app holds about a member, for their rights under the GDPR (« Mes données »):
    `export(member)` returns it as JSON-ready data, under the key `name` of the export;
    `erase(member, placeholder)` runs when the member's account is deleted, before the member
    row itself, and either deletes their rows or hands what the community still needs (public
    writing, ledger rows, figures) to `placeholder`, the one shared « ancien membre ».
    `count(member)`, if given, says how many rows the export will hold (one query), so that a
    large export is prepared by the worker rather than in the request."""

    name: str
    export: Callable[..., Any]
    erase: Callable[..., Any]
    order: int
    count: Callable[..., Any] | None = None


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    home: list[HomeSection] = field(default_factory=list)
    account: list[AccountSection] = field(default_factory=list)
    page: list[PageSection] = field(default_factory=list)
    demo: list[DemoSeeder] = field(default_factory=list)
    periodic: list[PeriodicJob] = field(default_factory=list)
    search: list[SearchProvider] = field(default_factory=list)
    personal_data: list[PersonalData] = field(default_factory=list)
    # Set by the members app: which `@prenom.nom` of a text are members, and their profile's
    # URL (see ruche.core.markdown.MentionResolver). None: mentions stay text.
    mention_resolver: Callable[..., Any] | None = None

    def _add(self, bucket: list[Any], item: object) -> None:
        names = {
            getattr(existing, "name", getattr(existing, "url_name", None)) for existing in bucket
        }
        key = getattr(item, "name", getattr(item, "url_name", None))
        if key in names:
            return  # ready() can run more than once (tests, autoreload)
        bucket.append(item)
        if hasattr(item, "order"):
            bucket.sort(key=lambda entry: entry.order)

    def add_nav(self, item: NavItem) -> None:
        self._add(self.nav, item)

    def add_home_section(self, item: HomeSection) -> None:
        self._add(self.home, item)

    def add_account_section(self, item: AccountSection) -> None:
        self._add(self.account, item)

    def add_page_section(self, item: PageSection) -> None:
        self._add(self.page, item)

    def page_sections(self, page: str) -> list[PageSection]:
        return [section for section in self.page if section.page == page]

    def add_demo_seeder(self, item: DemoSeeder) -> None:
        self._add(self.demo, item)

    def add_periodic_job(self, item: PeriodicJob) -> None:
        self._add(self.periodic, item)

    def add_search_provider(self, item: SearchProvider) -> None:
        self._add(self.search, item)

    def add_personal_data(self, item: PersonalData) -> None:
        self._add(self.personal_data, item)


registry = Registry()
