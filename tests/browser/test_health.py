"""The health dashboard in a real browser: it renders with its charts and passes the
accessibility rules, the filters change the figures, the exports download, and the animation
team reaches the alert settings."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ruche.engagement.services import record
from ruche.health import services
from ruche.health.enums import PeriodKind
from ruche.health.periods import Period
from tests.browser.a11y import accessibility_problems
from tests.helpers import build_community

pytestmark = pytest.mark.browser

LAST_MONTH = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def community():
    """The crawl's community; last month, half of it acted; the month before, everyone."""
    community = build_community()
    people = [*community.members, *community.personas.values()]
    for number, person in enumerate(people):
        record(
            member=person,
            kind="supported",
            subject_type="need",
            subject_id=number,
            at=_at(LAST_MONTH.previous().start),
        )
        if number % 2:
            record(
                member=person,
                kind="joined",
                subject_type="initiative",
                subject_id=1,
                at=_at(LAST_MONTH.start),
            )
    services.snapshots_refresh()
    return community


def _headline(page, metric: str):
    return page.locator(f'.fr-card:has(a[href="#{metric}"]) .health-headline')


def test_the_dashboard_renders_filters_and_exports(page, page_problems, community, sign_in):
    sign_in(community.personas["member"])
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Santé").click()

    main = page.get_by_role("main")
    # Level 1: the home page's alert, when there is one, has a heading that begins the same way.
    main.get_by_role("heading", level=1, name="Santé de la communauté").wait_for()
    problems = accessibility_problems(page)
    page_problems.check()
    assert page.locator("svg.health-chart").count() == 7
    last_month = _headline(page, "participation").inner_text()

    # The month before: everyone acted.
    page.get_by_label("Un jour de la période").fill(LAST_MONTH.previous().start.isoformat())
    main.get_by_role("button", name="Afficher").click()
    page.wait_for_url(f"**date={LAST_MONTH.previous().start.isoformat()}**")
    expect(_headline(page, "participation")).to_have_text("100 %", use_inner_text=True)
    assert last_month != "100 %"

    # A chosen span with a wrong end is explained, and the page still answers.
    page.locator("#id_period").select_option(label="Période choisie")
    page.locator("#id_from").fill(LAST_MONTH.start.isoformat())
    page.locator("#id_to").fill("1999-01-01")
    main.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_have_count(1)
    problems += accessibility_problems(page)

    page.goto("/sante/")
    with page.expect_download() as csv_download:
        main.get_by_role("link", name="Télécharger les chiffres (CSV)").click()
    assert csv_download.value.suggested_filename.endswith("-all.csv")
    with page.expect_download() as json_download:
        main.get_by_role("link", name="Télécharger les chiffres (JSON)").click()
    data = json.loads(Path(json_download.value.path()).read_text(encoding="utf-8"))
    assert data["metrics"][0]["key"] == "participation"
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)


def test_the_animation_team_sets_the_alert_threshold(page, page_problems, community, sign_in):
    sign_in(community.personas["animation"])
    page.goto("/sante/")
    page.get_by_role("main").get_by_role("link", name="Régler les alertes").click()
    page.get_by_role("heading", level=1, name="Réglages des alertes").wait_for()

    problems = accessibility_problems(page)
    page.get_by_label("Seuil d’alerte").fill("200")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le formulaire contient des erreurs")).to_have_count(1)
    problems += accessibility_problems(page)
    page.get_by_label("Seuil d’alerte").fill("30")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_text("Seuil d’alerte enregistré.").wait_for()
    assert services.alert_settings().transverse_threshold == 30
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
