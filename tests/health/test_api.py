"""GET /api/v1/health/metrics: the dashboard's figures as JSON."""

import datetime

import pytest
from django.utils import timezone

from ruche.accounts.services import api_token_create
from ruche.engagement.services import record
from ruche.health import services
from ruche.health.enums import PeriodKind
from ruche.health.periods import Period
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

LAST_MONTH = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()


@pytest.fixture
def get(client):
    member = MemberFactory()
    _token, secret = api_token_create(actor=member, member=member, name="tests")

    def call(query=""):
        return client.get(
            f"/api/v1/health/metrics{query}", headers={"Authorization": f"Bearer {secret}"}
        )

    record(
        member=member,
        kind="supported",
        subject_type="need",
        subject_id=1,
        at=datetime.datetime.combine(
            LAST_MONTH.start, datetime.time(12), tzinfo=timezone.get_current_timezone()
        ),
    )
    return call


def test_the_last_complete_month_by_default_from_its_snapshot(get):
    services.snapshot_period(LAST_MONTH)

    body = get().json()

    assert body["period"] == {
        "kind": "month",
        "start": LAST_MONTH.start.isoformat(),
        "end": LAST_MONTH.end.isoformat(),
        "label": LAST_MONTH.label,
    }
    assert (
        body["previous_period"]["end"]
        == (LAST_MONTH.start - datetime.timedelta(days=1)).isoformat()
    )
    assert body["segment"] == {"key": "all", "kind": "all", "label": "Toute la communauté"}
    assert body["source"] == "snapshot"
    assert body["transverse_threshold"] == 40
    participation = body["metrics"][0]
    assert participation["key"] == "participation"
    assert participation["headline"]["key"] == "participation_rate"
    assert participation["headline"]["value"] == 1.0
    assert participation["state"] == "bon"


def test_a_chosen_span_is_computed(get):
    body = get(
        f"?from={LAST_MONTH.start}&to={LAST_MONTH.start + datetime.timedelta(days=3)}"
    ).json()

    assert body["period"]["kind"] == "custom"
    assert body["source"] == "computed"
    contributions = next(
        figure
        for figure in body["metrics"][0]["figures"]
        if figure["key"] == "participation_contributions"
    )
    assert contributions["value"] == 1
    assert contributions["unit"] == "count"


def test_a_calendar_quarter_given_as_dates_is_a_quarter(get):
    quarter = Period.containing(PeriodKind.QUARTER, LAST_MONTH.start)

    body = get(f"?from={quarter.start}&to={quarter.end}").json()

    assert body["period"]["kind"] == "quarter"


def test_a_small_segment_answers_without_figures(get):
    body = get("?segment=domaine:data").json()

    assert body["shown"] is False
    assert body["metrics"] == []


@pytest.mark.parametrize(
    ("query", "where", "message"),
    [
        ("?from=2026-02-30&to=2026-03-31", "from", "Une date ISO 8601 est attendue"),
        ("?from=2026-03-01", "to", "Champ obligatoire."),
        ("?from=2026-04-01&to=2026-03-01", "to", "La fin de la période doit suivre son début."),
        ("?from=1999-01-01&to=2000-03-01", "from", "entre le 1er janvier 2000 et aujourd’hui"),
        ("?from=2020-01-01&to=2024-01-01", "to", "trois ans au plus"),
        ("?segment=tout", "segment", "Segment inconnu"),
    ],
)
def test_bad_input_answers_422_saying_what_is_wrong(get, query, where, message):
    response = get(query)

    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", where]
    assert message in error["msg"]


def test_the_schema_documents_the_enums(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]

    assert set(components["HealthState"]["enum"]) == {"bon", "a_surveiller", "alerte"}
    assert "transverse_load" in components["MetricKey"]["enum"]
    assert set(components["Unit"]["enum"]) == {"count", "ratio", "days", "people"}
    parameters = schema["paths"]["/api/v1/health/metrics"]["get"]["parameters"]
    assert {parameter["name"] for parameter in parameters} == {"from", "to", "segment"}
