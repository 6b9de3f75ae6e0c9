import datetime

import pytest
from django.core import mail
from django.utils import timezone

from ruche.core.registry import registry
from ruche.events.models import Event, Rsvp, ShiftSignup
from ruche.events.services.agenda import preferences_update, reminders_send
from ruche.events.services.events import event_cancel, event_update
from ruche.events.services.registrations import rsvp_register
from tests.events.factories import EventFactory, ShiftFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def event_tomorrow(**fields):
    """An event starting in 20 hours, registered for two days ago."""
    now = timezone.now()
    event = EventFactory(start=now + datetime.timedelta(days=3), **fields)
    return event, now


def registered_long_ago(event, member):
    rsvp = rsvp_register(actor=member, event=event)
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
        assert reminders_send() == 1
        assert reminders_send() == 0
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Rappel : « Apéro de rentrée »" in mail.outbox[0].subject
    assert "/evenements/mon-agenda/" in mail.outbox[0].body


def test_members_who_switched_reminders_off_get_none():
    event, _now = event_tomorrow()
    member = MemberFactory()
    registered_long_ago(event, member)
    preferences_update(actor=member, reminders=False)
    assert reminders_send() == 0


def test_events_further_away_get_none():
    far = EventFactory(start=timezone.now() + datetime.timedelta(days=3))
    rsvp_register(actor=MemberFactory(), event=far)
    Rsvp.objects.update(confirmed_at=timezone.now() - datetime.timedelta(days=2))
    assert reminders_send() == 0


def test_the_waiting_list_gets_none(django_capture_on_commit_callbacks):
    event, _now = event_tomorrow(capacity=1)
    confirmed = MemberFactory()
    registered_long_ago(event, confirmed)
    waiting = rsvp_register(actor=MemberFactory(), event=event)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[confirmed.email]]
    assert Rsvp.objects.get(pk=waiting.pk).reminded_at is None


def test_cancelled_events_get_none():
    event, _now = event_tomorrow()
    registered_long_ago(event, MemberFactory())
    event_cancel(actor=event.created_by, event=event)
    assert reminders_send() == 0


def test_someone_who_just_registered_is_not_reminded():
    event = EventFactory(start=timezone.now() + datetime.timedelta(hours=10))
    rsvp_register(actor=MemberFactory(), event=event)
    assert reminders_send() == 0


def test_the_reminder_job_is_registered_with_the_worker():
    job = next(job for job in registry.periodic if job.name == "events.reminders")
    assert job.run is reminders_send


def slot_tomorrow(event, member, *, taken_days_ago=3):
    shift = ShiftFactory(
        event=event,
        label="préparer le café",
        start=event.start - datetime.timedelta(minutes=30),
        end=event.start,
    )
    signup = ShiftSignup.objects.create(
        shift=shift,
        member=member,
        created_at=timezone.now() - datetime.timedelta(days=taken_days_ago),
    )
    return shift, signup


def test_volunteers_are_reminded_of_their_slot_the_day_before(django_capture_on_commit_callbacks):
    event, _now = event_tomorrow(title="Café du mardi")
    registered_long_ago(event, MemberFactory())
    volunteer = MemberFactory()
    event.refresh_from_db()
    slot_tomorrow(event, volunteer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 2
        assert reminders_send() == 0
    [message] = [m for m in mail.outbox if m.to == [volunteer.email]]
    assert "Rappel : votre créneau « préparer le café »" in message.subject
    assert "Café du mardi" in message.body
    assert "#creneaux" in message.body


def test_a_registered_volunteer_gets_one_message_naming_the_slot(
    django_capture_on_commit_callbacks,
):
    event, _now = event_tomorrow(title="Café du mardi")
    member = MemberFactory()
    registered_long_ago(event, member)
    event.refresh_from_db()
    slot_tomorrow(event, member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
        assert reminders_send() == 0
    [message] = mail.outbox
    assert "Rappel : « Café du mardi »" in message.subject
    assert "Vous avez aussi proposé un coup de main" in message.body
    assert "préparer le café" in message.body


def test_a_slot_taken_at_the_last_minute_or_switched_off_gets_no_reminder():
    event, _now = event_tomorrow()
    Event.objects.filter(pk=event.pk).update(start=timezone.now() + datetime.timedelta(hours=20))
    event.refresh_from_db()
    slot_tomorrow(event, MemberFactory(), taken_days_ago=0)
    quiet = MemberFactory()
    preferences_update(actor=quiet, reminders=False)
    slot_tomorrow(event, quiet)
    assert reminders_send() == 0


def test_a_moved_event_is_reminded_again_and_its_slots_move_with_it():
    event, _now = event_tomorrow()
    member = MemberFactory()
    rsvp = registered_long_ago(event, member)
    event.refresh_from_db()
    shift, signup = slot_tomorrow(event, MemberFactory())
    assert reminders_send() == 2
    later = datetime.timedelta(days=7)
    event_update(
        actor=event.created_by,
        event=event,
        changes={"start": event.start + later, "end": event.end + later},
    )
    shift.refresh_from_db()
    event.refresh_from_db()
    assert shift.start == event.start - datetime.timedelta(minutes=30)
    assert Rsvp.objects.get(pk=rsvp.pk).reminded_at is None
    assert ShiftSignup.objects.get(pk=signup.pk).reminded_at is None
