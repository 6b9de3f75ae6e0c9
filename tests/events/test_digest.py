"""The events app's part of the weekly digest: « Vos prochains événements » and « Créneaux à
pourvoir », the slots of the coming week that still need someone."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ruche.events.dates import when
from ruche.events.enums import RsvpStatus
from ruche.events.services.agenda import events_tomorrow_announce
from ruche.events.services.events import event_cancel
from ruche.notifications.digest import digest_send
from ruche.notifications.models import Announcement, Channel, DigestDelivery
from tests.events.factories import EventFactory, ShiftFactory, ShiftSignupFactory, register
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday():
    """Next Monday, 9 a.m. Paris time: the digest's hour, with the factories' dates around it."""
    today = timezone.localdate()
    day = today + datetime.timedelta(days=7 - today.weekday())
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def reader():
    return MemberFactory(last_login=timezone.now())


def slot(monday, *, days=2, title="Forum de la communauté", label="accueil", **fields):
    start = monday + datetime.timedelta(days=days)
    event = EventFactory(title=title, start=start, end=start + datetime.timedelta(hours=3))
    return ShiftFactory(
        event=event,
        label=label,
        start=start,
        end=start + datetime.timedelta(minutes=45),
        **fields,
    )


def digest_of(member, monday, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(now=monday)
    [message] = [m for m in mail.outbox if m.to == [member.email]]
    return message.body


def test_open_slots_of_the_coming_week_are_listed_with_a_link(
    monday, django_capture_on_commit_callbacks, settings
):
    member = reader()
    shift = slot(monday, days=1, label="préparer le café", capacity=3)
    ShiftSignupFactory(shift=shift)

    body = digest_of(member, monday, django_capture_on_commit_callbacks)

    assert "Créneaux à pourvoir" in body
    assert "- préparer le café, pour « Forum de la communauté »" in body
    assert f"  {when(shift.start, shift.end)} — 2 places libres" in body
    assert "mardi " in body
    assert ", de 9 h à 9 h 45" in body
    assert f"{settings.BASE_URL}/evenements/{shift.event.pk}/#creneaux" in body


def test_only_open_upcoming_slots_i_do_not_hold_are_listed(
    monday, django_capture_on_commit_callbacks
):
    member = reader()
    slot(monday, label="listed")
    slot(monday, days=8, label="next-week")
    slot(monday, days=-1, label="already-past")
    full = slot(monday, label="full", capacity=1)
    ShiftSignupFactory(shift=full)
    mine = slot(monday, label="mine", capacity=3)
    ShiftSignupFactory(shift=mine, member=member)
    cancelled = slot(monday, label="cancelled")
    event_cancel(actor=cancelled.event.created_by, event=cancelled.event)
    mail.outbox.clear()

    body = digest_of(member, monday, django_capture_on_commit_callbacks)

    assert "- listed," in body
    for hidden in ["next-week", "already-past", "full", "mine", "cancelled"]:
        assert f"- {hidden}," not in body


def test_a_long_list_stops_at_ten_and_points_to_the_agenda(
    monday, django_capture_on_commit_callbacks, settings
):
    member = reader()
    for number in range(12):
        slot(monday, label=f"tâche {number:02}")
    register(EventFactory(title="Apéro", start=monday + datetime.timedelta(days=1)), member)

    body = digest_of(member, monday, django_capture_on_commit_callbacks)

    assert "- tâche 09," in body
    assert "- tâche 10," not in body
    assert f"Et 2 autres créneaux dans l’agenda :\n{settings.BASE_URL}/evenements/" in body


def test_my_events_of_the_coming_week_come_first(monday, django_capture_on_commit_callbacks):
    member = reader()
    start = monday + datetime.timedelta(days=3)
    register(EventFactory(title="Apéro de rentrée", start=start), member)
    full = EventFactory(title="Atelier DSFR", start=start, capacity=1)
    register(full, MemberFactory())
    register(full, member, status=RsvpStatus.WAITLISTED)
    register(EventFactory(title="Trop loin", start=monday + datetime.timedelta(days=9)), member)
    register(EventFactory(title="Pas pour moi", start=start), MemberFactory())
    slot(monday)

    body = digest_of(member, monday, django_capture_on_commit_callbacks)

    assert body.index("Vos prochains événements") < body.index("Créneaux à pourvoir")
    mine = body.split("Vos prochains événements")[1].split("Créneaux à pourvoir")[0]
    assert "- « Apéro de rentrée »\n" in mine
    assert "- « Atelier DSFR » (en liste d’attente)" in mine
    assert "Trop loin" not in mine
    assert "Pas pour moi" not in mine


def test_a_member_the_events_have_nothing_for_gets_no_digest(monday):
    member = reader()
    shift = slot(monday, capacity=1)
    ShiftSignupFactory(shift=shift, member=member)

    assert digest_send(now=monday) == 0
    assert DigestDelivery.objects.filter(member=member, notification=None).exists()


def test_the_digest_costs_the_same_queries_however_many_slots_and_registrations(monday):
    readers = [reader(), reader()]

    def queries():
        DigestDelivery.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert digest_send(now=monday) == len(readers)
        return len(captured)

    slot(monday)
    few = queries()
    for number in range(15):
        shift = slot(monday, days=1 + number % 6, capacity=3)
        ShiftSignupFactory(shift=shift, member=readers[number % 2])
        register(shift.event, readers[number % 2])
    assert queries() == few


@pytest.mark.parametrize("hour", [9, 10])
def test_tomorrows_public_events_with_places_are_announced_once_from_10_am(hour):
    Channel.objects.create(name="Tchap", transport="webhook", topics=["event_tomorrow"])
    today = datetime.datetime(2027, 3, 2, hour, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    tomorrow = today + datetime.timedelta(days=1)
    open_event = EventFactory(title="Forum", start=tomorrow, capacity=3)
    full = EventFactory(title="Complet", start=tomorrow, capacity=1)
    register(full, MemberFactory())
    EventFactory(title="Privé", start=tomorrow, is_public=False)
    EventFactory(title="Après-demain", start=tomorrow + datetime.timedelta(days=1))

    announced = events_tomorrow_announce(now=today)
    again = events_tomorrow_announce(now=today + datetime.timedelta(hours=1))

    if hour < 10:
        assert announced == 0
        return
    assert (announced, again) == (1, 0)
    (announcement,) = Announcement.objects.all()
    assert announcement.text.startswith("Événement demain avec des places libres : Forum — ")
    assert "3 places libres" in announcement.text
    assert open_event.get_absolute_url() in announcement.markdown
