"""Daily snapshots, reading figures, the alert settings and the alert in force."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ruche.core.periodic import run_due_jobs
from ruche.engagement.services import record
from ruche.health import services
from ruche.health.enums import PeriodKind
from ruche.health.models import AlertSettings, Snapshot
from ruche.health.periods import Period
from ruche.health.segments import SegmentKey
from tests.factories import MemberFactory
from tests.helpers import ANIMATION_TEAM

pytestmark = pytest.mark.django_db

ALL = SegmentKey.parse("all")


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def test_the_first_run_computes_every_kept_period_then_nothing_until_tomorrow():
    # Three hours later is still the same day: 09:00 local time, whatever the hour the test runs.
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9)))

    first = services.snapshots_refresh(now=now)
    again = services.snapshots_refresh(now=now + datetime.timedelta(hours=3))

    kinds = [period.kind for period in first]
    assert kinds.count(PeriodKind.MONTH) == 24
    assert kinds.count(PeriodKind.QUARTER) == 8
    assert kinds.count(PeriodKind.YEAR) == 3
    assert again == []
    assert Snapshot.objects.filter(segment="all").count() == 35


def test_the_next_day_only_periods_still_settling_are_computed_again():
    now = timezone.now()
    services.snapshots_refresh(now=now)

    tomorrow = services.snapshots_refresh(now=now + datetime.timedelta(days=1))

    today = timezone.localdate(now)
    assert tomorrow
    for period in tomorrow:
        assert period.end + datetime.timedelta(days=services.SETTLING_DAYS) >= today
    old = Period.containing(PeriodKind.MONTH, today - datetime.timedelta(days=400))
    assert old not in tomorrow


def test_computing_a_period_twice_writes_the_same_rows():
    member = MemberFactory()
    month = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    record(member=member, kind="supported", subject_type="need", subject_id=1, at=at(month.start))

    services.snapshot_period(month)
    first = list(Snapshot.objects.values_list("segment", "figures"))
    services.snapshot_period(month)

    assert list(Snapshot.objects.values_list("segment", "figures")) == first


def test_the_worker_runs_the_snapshot_job():
    assert "health.snapshots" in run_due_jobs()
    assert Snapshot.objects.filter(segment="all", period=PeriodKind.YEAR).count() == 3


def test_a_calendar_period_is_read_from_its_snapshot():
    month = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    Snapshot.objects.create(
        period=month.kind,
        start=month.start,
        end=month.end,
        segment="all",
        figures={"participation": {"rate": 0.42}},
        computed_at=timezone.now(),
    )

    reading = services.read(month, ALL)

    assert reading.from_snapshot
    assert reading.figures == {"participation": {"rate": 0.42}}
    assert reading.segments == [("all", "Toute la communauté")]


def test_a_chosen_span_is_computed_and_sees_a_new_contribution_at_once():
    member = MemberFactory()
    today = timezone.localdate()
    span = Period.span(today - datetime.timedelta(days=20), today - datetime.timedelta(days=5))
    record(member=member, kind="supported", subject_type="need", subject_id=1, at=at(span.start))

    before = services.read(span, ALL)
    record(member=member, kind="commented", subject_type="need", subject_id=1, at=at(span.end))
    after = services.read(span, ALL)

    assert not before.from_snapshot
    assert before.figures["participation"]["contributions"] == 1
    assert after.figures["participation"]["contributions"] == 2


def test_a_segment_too_small_to_show_has_no_figures():
    member = MemberFactory()
    month = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    record(member=member, kind="supported", subject_type="need", subject_id=1, at=at(month.start))
    services.snapshot_period(month)

    reading = services.read(month, SegmentKey.parse("domaine:developpement"))

    assert reading.figures is None
    assert reading.label == "Développement"


# --- Alert settings -----------------------------------------------------------------------------


def test_the_animation_team_sets_the_threshold():
    animator = MemberFactory(transverse_role=ANIMATION_TEAM)

    services.alert_threshold_update(actor=animator, threshold="35 %")

    settings = AlertSettings.objects.get()
    assert settings.transverse_threshold == 35
    assert settings.updated_by == animator
    assert services.alert_settings().transverse_threshold == 35


def test_the_default_threshold_is_forty_percent():
    assert services.alert_settings().transverse_threshold == 40


def test_an_ordinary_member_cannot_set_the_threshold():
    with pytest.raises(PermissionDenied):
        services.alert_threshold_update(actor=MemberFactory(), threshold=10)
    assert not AlertSettings.objects.exists()


@pytest.mark.parametrize("value", ["0", "100", "quarante", ""])
def test_a_threshold_that_is_not_a_percentage_is_refused(value):
    animator = MemberFactory(transverse_role=ANIMATION_TEAM)

    with pytest.raises(ValidationError) as refused:
        services.alert_threshold_update(actor=animator, threshold=value)

    assert "transverse_threshold" in refused.value.message_dict
    assert not AlertSettings.objects.exists()


# --- The alert in force -------------------------------------------------------------------------


def load(month: Period, share):
    Snapshot.objects.create(
        period=month.kind,
        start=month.start,
        end=month.end,
        segment="all",
        figures={"transverse_load": {"share": share}},
        computed_at=timezone.now(),
    )


@pytest.fixture
def last_two_months():
    last = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous()
    return last.previous(), last


def test_an_alert_is_in_force_after_two_months_above_the_threshold(last_two_months):
    before, last = last_two_months
    load(before, 0.45)
    load(last, 0.5)

    alert = services.transverse_alert()

    assert alert["threshold"] == 40
    assert [month["percent"] for month in alert["months"]] == [45, 50]


def test_one_month_above_the_threshold_is_not_an_alert(last_two_months):
    before, last = last_two_months
    load(before, 0.3)
    load(last, 0.6)

    assert services.transverse_alert() is None


def test_a_higher_threshold_lifts_the_alert(last_two_months):
    before, last = last_two_months
    load(before, 0.45)
    load(last, 0.5)
    services.alert_threshold_update(
        actor=MemberFactory(transverse_role=ANIMATION_TEAM), threshold=50
    )

    assert services.transverse_alert() is None


def test_no_alert_before_the_snapshots_exist():
    assert services.transverse_alert() is None
