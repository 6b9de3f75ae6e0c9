"""The /sante/ dashboard, its exports, the alert settings, and the alert on the animation team's
home page and in their digest."""

import csv
import datetime
import io
import json

import pytest
from django.core import mail
from django.utils import timezone

from ruche.engagement.services import record
from ruche.health import services
from ruche.health.enums import PeriodKind
from ruche.health.models import AlertSettings, Snapshot
from ruche.health.periods import Period
from ruche.notifications.digest import digest_send
from tests.factories import IncubatorFactory, MemberFactory, MissionFactory, StartupFactory
from tests.helpers import ANIMATION_TEAM, assert_constant_queries
from tests.initiatives.factories import NeedFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LAST_MONTH = Period.containing(PeriodKind.MONTH, TODAY).previous()


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def incubator():
    return IncubatorFactory(slug="fabrique", title="La Fabrique")


def members(count, incubator, **extra):
    startup = StartupFactory(incubator=incubator)
    people = MemberFactory.create_batch(count, mission=False, **extra)
    for person in people:
        MissionFactory(
            member=person, start=TODAY - datetime.timedelta(days=900), startups=[startup]
        )
    return people


@pytest.fixture
def community(incubator):
    """Six members of one incubator: four acted last month, one of them also earlier this
    year; snapshots computed."""
    people = members(6, incubator)
    for person in people[:4]:
        record(
            member=person,
            kind="supported",
            subject_type="need",
            subject_id=1,
            at=at(LAST_MONTH.start),
        )
    record(
        member=people[0],
        kind="commented",
        subject_type="need",
        subject_id=1,
        at=at(LAST_MONTH.previous().start),
    )
    services.snapshots_refresh()
    return people


def headline(html: str, title: str) -> str:
    """The text of the headline card of a metric."""
    start = html.index(f'href="#{title}"')
    return html[start : html.index("</li>", start)]


def test_the_dashboard_shows_the_last_complete_month(client, community):
    client.force_login(community[0])

    response = client.get("/sante/")

    html = response.content.decode()
    assert response.status_code == 200
    assert LAST_MONTH.label.capitalize() in html
    # Four of six active members contributed.
    assert "67 %" in headline(html, "participation")
    assert 'class="health-chart"' in html
    assert "<caption>" in html
    assert "Santé" in html  # in the main navigation


def test_filters_change_the_figures(client, community):
    client.force_login(community[0])

    month = client.get("/sante/").content.decode()
    year = client.get(f"/sante/?period=year&date={LAST_MONTH.start}").content.decode()

    assert "Contributions</th>\n            <td>4</td>" in month
    if Period.containing(PeriodKind.YEAR, LAST_MONTH.start).contains(LAST_MONTH.previous().start):
        assert "Contributions</th>\n            <td>5</td>" in year


def test_a_wrong_date_is_explained_and_kept(client, community):
    client.force_login(community[0])

    response = client.get("/sante/?period=custom&from=2026-02-30&to=")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Saisissez une date, par exemple 2026-03-31." in html
    assert "Indiquez les deux dates d’une période choisie." in html
    assert 'value="2026-02-30"' in html


def test_a_span_that_ends_before_it_starts_is_refused(client, community):
    client.force_login(community[0])

    html = client.get("/sante/?period=custom&from=2025-03-01&to=2025-02-01").content.decode()

    assert "La fin de la période doit suivre son début." in html


def test_a_chosen_span_is_computed(client, community):
    client.force_login(community[0])
    start = LAST_MONTH.start - datetime.timedelta(days=3)

    html = client.get(f"/sante/?period=custom&from={start}&to={LAST_MONTH.end}").content.decode()

    assert "Contributions</th>\n            <td>4</td>" in html


def test_a_small_segment_is_not_shown(client, community, incubator):
    members(2, IncubatorFactory(slug="petit", title="Le petit incubateur"))
    # Two members alone would show by difference: a second incubator is hidden with them.
    members(5, IncubatorFactory(slug="moyen", title="Le moyen incubateur"))
    services.snapshot_period(LAST_MONTH)
    client.force_login(community[0])

    html = client.get("/sante/?segment=incubator:petit").content.decode()
    listed = client.get("/sante/").content.decode()

    assert "Ce segment est trop petit pour être montré" in html
    assert 'value="incubator:fabrique"' in listed
    assert 'value="incubator:petit"' not in listed
    assert 'value="incubator:moyen"' not in listed
    assert 'value="incubator:autres"' in listed


def test_the_csv_export_has_every_figure(client, community):
    NeedFactory(title="Pas de salle", author=community[0], created_at=at(LAST_MONTH.start))
    services.snapshot_period(LAST_MONTH)
    client.force_login(community[0])

    response = client.get("/sante/export.csv")

    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Période", "Segment", "Indicateur", "Mesure"]
    by_key = {row[4]: row for row in rows[1:] if row[4] != "fit_top_unaddressed"}
    assert by_key["participation_rate"][6] == "0.6667"
    assert by_key["participation_rate"][5] == "ratio"
    assert len({row[4] for row in rows[1:]}) > 30
    needs = [row for row in rows if row[4] == "fit_top_unaddressed"]
    assert needs == [
        [
            LAST_MONTH.label,
            "Toute la communauté",
            "Réponse aux besoins",
            "Besoins sans réponse les plus partagés : Pas de salle",
            "fit_top_unaddressed",
            "",
            "0",
            "",
        ]
    ]


def test_the_csv_export_defuses_what_a_spreadsheet_would_run(client):
    people = members(5, IncubatorFactory(slug="piege", title='=HYPERLINK("x")'))
    services.snapshot_period(LAST_MONTH)
    client.force_login(people[0])

    response = client.get("/sante/export.csv?segment=incubator:piege")

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][1] == '\'=HYPERLINK("x")'


def test_the_json_export_is_what_the_api_answers(client, community):
    client.force_login(community[0])

    response = client.get("/sante/export.json")

    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment;")
    assert data["period"]["start"] == LAST_MONTH.start.isoformat()
    assert data["source"] == "snapshot"
    assert [metric["key"] for metric in data["metrics"]] == [
        "participation",
        "newcomers",
        "concentration",
        "transverse_load",
        "cohesion",
        "fit",
        "identity",
    ]


def test_the_page_reads_snapshots_in_the_same_number_of_queries_whatever_the_ledger(
    client, incubator
):
    people = members(8, incubator)
    client.force_login(people[0])
    number = iter(range(10_000))

    def add(count):
        for _ in range(count):
            record(
                member=people[next(number) % 8],
                kind="supported",
                subject_type="need",
                subject_id=next(number),
                at=at(LAST_MONTH.start),
            )
        services.snapshot_period(LAST_MONTH)
        services.snapshot_period(LAST_MONTH.previous())

    assert_constant_queries(client, "/sante/", add)


# --- Alert settings -----------------------------------------------------------------------------


def test_the_animation_team_changes_the_threshold(client):
    animator = MemberFactory(transverse_role=ANIMATION_TEAM)
    client.force_login(animator)

    response = client.post("/sante/alertes/", {"transverse_threshold": "30"})

    assert response.status_code == 302
    assert AlertSettings.objects.get().transverse_threshold == 30
    assert "Seuil d’alerte enregistré." in client.get(response["Location"]).content.decode()


def test_a_wrong_threshold_is_explained(client):
    client.force_login(MemberFactory(transverse_role=ANIMATION_TEAM))

    response = client.post("/sante/alertes/", {"transverse_threshold": "120"})

    assert response.status_code == 200
    assert "Le seuil doit être un pourcentage entre 1 et 99." in response.content.decode()
    assert not AlertSettings.objects.exists()


def test_members_see_no_alert_settings(client):
    client.force_login(MemberFactory())

    assert "Régler les alertes" not in client.get("/sante/").content.decode()
    assert client.get("/sante/alertes/").status_code == 403


# --- The alert in force -------------------------------------------------------------------------


def alert_months(now):
    last = Period.containing(PeriodKind.MONTH, timezone.localdate(now)).previous()
    for month in (last.previous(), last):
        Snapshot.objects.create(
            period=month.kind,
            start=month.start,
            end=month.end,
            segment="all",
            figures={"transverse_load": {"share": 0.55}},
            computed_at=now,
        )


def test_the_animation_team_sees_the_alert_on_its_home_page(client):
    alert_months(timezone.now())
    animator = MemberFactory(transverse_role=ANIMATION_TEAM)

    client.force_login(animator)
    theirs = client.get("/").content.decode()
    client.force_login(MemberFactory())
    others = client.get("/").content.decode()

    assert "Santé de la communauté : une alerte est en cours" in theirs
    assert "plus de 40 %" in theirs
    assert "une alerte est en cours" not in others


def test_the_alert_is_in_the_animation_teams_digest(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    day = today + datetime.timedelta(days=7 - today.weekday())
    monday = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    alert_months(monday)
    animator = MemberFactory(transverse_role=ANIMATION_TEAM, last_login=timezone.now())
    member = MemberFactory(last_login=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=monday)

    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "une alerte est en cours" in bodies[animator.email]
    assert "/sante/" in bodies[animator.email]
    assert "une alerte est en cours" not in bodies.get(member.email, "")
