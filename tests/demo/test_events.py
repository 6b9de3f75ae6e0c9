import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from ruche.core.registry import registry
from ruche.demo.events import is_working_day
from ruche.engagement.models import Contribution
from ruche.events.enums import EventKind, EventStatus, RsvpStatus, SpeakerStatus
from ruche.events.models import Event, EventSeries, Rsvp, Shift, ShiftSignup, Speaker
from tests.demo.helpers import shrink

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(monkeypatch):
    """A small community (members seeder), then the events seeder, through seed_demo."""
    shrink(monkeypatch, members_per_scale=80, startups_per_scale=12)
    seeders = [s for s in registry.demo if s.name in ("members", "events")]
    monkeypatch.setattr(registry, "demo", seeders)
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


def test_the_demo_has_two_years_of_events_and_three_months_ahead(seeded):
    now = timezone.now()
    first = Event.objects.order_by("start").first().start
    last = Event.objects.order_by("start").last().start
    assert (now - first).days >= 700
    assert 60 <= (last - now).days <= 92
    assert "events:" in seeded


def test_the_weekly_coffee_has_a_rota_and_the_apero_is_monthly(seeded):
    coffee, apero = EventSeries.objects.order_by("pk")
    assert coffee.describe().startswith("tous les mardis jusqu’au")
    assert apero.describe().startswith("le premier jeudi de chaque mois")
    assert coffee.occurrences.count() > 100
    assert Shift.objects.filter(event__series=coffee).count() == 2 * coffee.occurrences.count()
    cancelled = coffee.occurrences.filter(status=EventStatus.CANCELLED)
    assert cancelled.exclude(cancellation_message__startswith="Jour férié").count() == 1
    assert sum(o.is_moved for o in coffee.occurrences.all()) == 1
    upcoming_open = Shift.objects.upcoming().with_free_places()
    assert upcoming_open.exists()


def test_events_happen_on_working_days_at_plausible_hours(seeded):
    scheduled = Event.objects.filter(status=EventStatus.SCHEDULED)
    assert scheduled.count() > 200
    for event in scheduled:
        start, end = (timezone.localtime(moment) for moment in (event.start, event.end))
        assert is_working_day(start.date()), f"{event.title} on {start:%A %d/%m/%Y}"
        assert datetime.time(8, 30) <= start.time() <= datetime.time(19), event.title
        assert end.date() == start.date(), event.title
        assert end.time() <= datetime.time(21), event.title
    on_holidays = Event.objects.filter(status=EventStatus.CANCELLED).filter(
        cancellation_message__startswith="Jour férié"
    )
    assert all(not is_working_day(timezone.localtime(e.start).date()) for e in on_holidays)


def test_the_working_days_are_frances():
    assert not is_working_day(datetime.date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(datetime.date(2027, 5, 6))  # Ascension
    assert not is_working_day(datetime.date(2027, 12, 25))  # a Saturday anyway
    assert not is_working_day(datetime.date(2027, 7, 14))
    assert is_working_day(datetime.date(2027, 7, 13))


def test_registrations_look_real(seeded):
    past = Rsvp.objects.filter(event__end__lt=timezone.now(), status=RsvpStatus.CONFIRMED)
    assert past.filter(attended=True).exists()
    assert past.filter(attended=False).exists()
    assert Rsvp.objects.filter(status=RsvpStatus.WAITLISTED).exists()
    for event in Event.objects.exclude(capacity=None).with_rsvp_counts():
        assert event.confirmed_count <= event.capacity
    assert ShiftSignup.objects.exists()


def test_talks_have_external_speakers(seeded):
    talks = Event.objects.filter(kind=EventKind.TALK)
    assert talks.count() > 40
    external = Speaker.objects.filter(member=None, status=SpeakerStatus.CONFIRMED)
    assert external.filter(email__endswith="@example.org").exists()


def test_every_act_is_in_the_ledger(seeded):
    kinds = set(Contribution.objects.values_list("kind", flat=True))
    assert {"organised", "registered", "attended", "volunteered"} <= kinds
    registered = Contribution.objects.filter(kind="registered").count()
    assert registered == Rsvp.objects.filter(status=RsvpStatus.CONFIRMED).count()


def test_the_demo_leaves_no_reminder_due(db):
    """The first `make run` must not flood its terminal with reminders for seeded events."""
    import random

    from django.utils import timezone

    from ruche.core.registry import registry
    from ruche.demo.context import DemoContext
    from ruche.events.services.agenda import reminders_send

    # A Monday noon: the weekly coffee (Tuesday morning) is due for its reminder.
    today = timezone.localdate()
    monday = today + datetime.timedelta(days=(7 - today.weekday()) % 7 or 7)
    now = timezone.make_aware(datetime.datetime.combine(monday, datetime.time(12)))
    context = DemoContext(rng=random.Random(3), scale=1, now=now, log=lambda *a: None)
    for seeder in registry.demo:
        seeder.seed(context)

    assert reminders_send(now=now) == 0
