import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ruche.core.registry import registry
from ruche.events import services
from ruche.events.models import Event, Rsvp
from tests.events.factories import EventFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def event_tomorrow(**fields):
    """An event starting in 20 hours, registered for two days ago."""
    now = timezone.now()
    event = EventFactory(start=now + datetime.timedelta(days=3), **fields)
    return event, now


def registered_long_ago(event, member):
    rsvp = services.rsvp_register(actor=member, event=event)
    Event.objects.filter(pk=event.pk).update(
        start=timezone.now() + datetime.timedelta(hours=20),
        end=timezone.now() + datetime.timedelta(hours=22),
    )
    Rsvp.objects.filter(pk=rsvp.pk).update(confirmed_at=timezone.now() - datetime.timedelta(days=2))
    return rsvp


def test_registered_members_are_reminded_once_the_day_before(
    django_capture_on_commit_callbacks,
):
    event, _now = event_tomorrow(title="Apéro de rentrée")
    member = MemberFactory()
    registered_long_ago(event, member)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 1
        assert services.reminders_send() == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Rappel : « Apéro de rentrée »" in mail.outbox[0].subject
    assert "/evenements/mon-agenda/" in mail.outbox[0].body


def test_members_who_switched_reminders_off_get_none():
    event, _now = event_tomorrow()
    member = MemberFactory()
    registered_long_ago(event, member)
    services.preferences_update(actor=member, reminders=False)
    assert services.reminders_send() == 0


def test_events_further_away_the_waiting_list_and_cancelled_events_get_none():
    far = EventFactory(start=timezone.now() + datetime.timedelta(days=3))
    services.rsvp_register(actor=MemberFactory(), event=far)
    Rsvp.objects.update(confirmed_at=timezone.now() - datetime.timedelta(days=2))
    assert services.reminders_send() == 0
    event, _now = event_tomorrow(capacity=1)
    registered_long_ago(event, MemberFactory())
    waiting = services.rsvp_register(actor=MemberFactory(), event=event)
    services.event_cancel(actor=event.created_by, event=event)
    assert services.reminders_send() == 0
    assert Rsvp.objects.get(pk=waiting.pk).reminded_at is None


def test_someone_who_just_registered_is_not_reminded():
    event = EventFactory(start=timezone.now() + datetime.timedelta(hours=10))
    services.rsvp_register(actor=MemberFactory(), event=event)
    assert services.reminders_send() == 0


def test_the_reminder_job_is_registered_with_the_worker():
    job = next(job for job in registry.periodic if job.name == "events.reminders")
    assert job.run is services.reminders_send
