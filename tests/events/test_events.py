import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ruche.engagement.models import Contribution
from ruche.events.enums import EventStatus
from ruche.events.models import Event, EventSeries
from ruche.events.recurrence import PARIS
from ruche.events.services.events import event_cancel, event_create, event_update
from ruche.events.services.registrations import rsvp_register
from ruche.events.services.shifts import shift_signup
from tests.events.factories import EventFactory, ShiftFactory, in_days
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def create(actor, **overrides):
    start = overrides.pop("start", in_days(10))
    fields = {
        "title": "Apéro de rentrée",
        "kind": "apero",
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "location": "Ségur",
        **overrides,
    }
    return event_create(actor=actor, **fields)


def errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_member_publishes_an_event_and_is_its_organiser():
    member = MemberFactory()
    other = MemberFactory()
    event = create(member, capacity=3, co_organisers=[other])
    assert set(event.organisers.all()) == {member, other}
    assert event.uid.endswith("@ruche.beta.gouv.fr")
    organised = Contribution.objects.filter(kind="organised", subject_id=event.pk)
    assert {c.member_id for c in organised} == {member.pk, other.pk}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Donnez un titre"),
        ({"kind": "barbecue"}, "kind", "Type d’événement inconnu"),
        ({"capacity": 0}, "capacity", "au moins 1"),
        ({"capacity": -4}, "capacity", "au moins 1"),
        ({"location": "", "online_url": ""}, "location", "Indiquez un lieu"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "adresse web complète"),
    ],
)
def test_bad_input_gets_a_clear_message(overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        create(MemberFactory(), **overrides)
    assert message in " ".join(errors(excinfo)[field])
    assert not Event.objects.exists()


def test_an_end_before_the_start_is_refused():
    start = in_days(3)
    with pytest.raises(ValidationError) as excinfo:
        create(MemberFactory(), start=start, end=start - datetime.timedelta(hours=1))
    assert errors(excinfo)["end"] == ["La fin doit être après le début."]


def test_a_past_start_is_refused_for_a_new_event():
    with pytest.raises(ValidationError) as excinfo:
        create(MemberFactory(), start=in_days(-1))
    assert "passée" in errors(excinfo)["start"][0]


def test_a_time_without_offset_is_refused():
    start = in_days(3).replace(tzinfo=None)
    with pytest.raises(ValidationError) as excinfo:
        create(MemberFactory(), start=start, end=start + datetime.timedelta(hours=1))
    assert "fuseau horaire" in errors(excinfo)["start"][0]


def test_a_recurring_event_creates_one_row_per_date():
    start = datetime.datetime(2099, 1, 6, 9, 0, tzinfo=PARIS)  # a Tuesday
    first = create(
        MemberFactory(),
        title="Café du mardi",
        kind="cafe",
        start=start,
        recurrence="FREQ=WEEKLY;BYDAY=TU;COUNT=10",
    )
    occurrences = Event.objects.filter(series=first.series).order_by("start")
    assert occurrences.count() == 10
    assert [o.recurrence_id for o in occurrences] == [o.start for o in occurrences]
    assert occurrences[9].start.astimezone(PARIS).date() == datetime.date(2099, 3, 10)
    assert len({o.uid for o in occurrences}) == 10
    assert first.series.describe() == "tous les mardis, 10 fois"
    organised = Contribution.objects.filter(kind="organised")
    assert organised.count() == 1
    assert organised.get().details == {"series": first.series_id, "occurrences": 10}


def test_an_endless_recurrence_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        create(MemberFactory(), recurrence="FREQ=WEEKLY;BYDAY=TU")
    assert "doit avoir une fin" in errors(excinfo)["recurrence"][0]
    assert not EventSeries.objects.exists()


def test_only_organisers_edit(animator):
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        event_update(actor=MemberFactory(), event=event, changes={"title": "Pirate"})
    event_update(actor=animator, event=event, changes={"title": "Relu"})
    event.refresh_from_db()
    assert event.title == "Relu"


def test_a_move_bumps_the_sequence_and_tells_registered_members(
    django_capture_on_commit_callbacks,
):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser)
    member = MemberFactory()
    rsvp_register(actor=member, event=event)
    uid, sequence = event.uid, event.sequence
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(
            actor=organiser,
            event=event,
            changes={
                "start": event.start + datetime.timedelta(days=1),
                "end": event.end + datetime.timedelta(days=1),
            },
        )
    event.refresh_from_db()
    assert event.uid == uid
    assert event.sequence == sequence + 1
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "change de date ou de lieu" in mail.outbox[0].subject


def test_a_description_change_bumps_the_sequence_without_an_email(
    django_capture_on_commit_callbacks,
):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser)
    rsvp_register(actor=MemberFactory(), event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(actor=organiser, event=event, changes={"description": "Autre"})
    event.refresh_from_db()
    assert event.sequence == 1
    assert mail.outbox == []


def test_cancelling_tells_everyone_registered_with_the_message(
    django_capture_on_commit_callbacks,
):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, capacity=1)
    confirmed, waiting = MemberFactory.create_batch(2)
    rsvp_register(actor=confirmed, event=event)
    rsvp_register(actor=waiting, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(actor=organiser, event=event, message="La salle est inondée.")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert event.sequence == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([confirmed.email, waiting.email])
    assert "La salle est inondée." in mail.outbox[0].body
    # Whatever the title's gender: « Conférence X » est annulé would not agree.
    assert mail.outbox[0].subject == f"[Ruche] Annulation : « {event.title} »"
    assert f"L’événement « {event.title} »" in mail.outbox[0].body
    with pytest.raises(ValidationError, match="déjà annulé"):
        event_cancel(actor=organiser, event=event)
    with pytest.raises(ValidationError, match="annulé"):
        event_update(actor=organiser, event=event, changes={"title": "Bis"})


def test_one_occurrence_moves_on_its_own_and_the_series_sequence_grows():
    organiser = MemberFactory()
    start = datetime.datetime(2099, 1, 6, 9, 0, tzinfo=PARIS)
    first = create(organiser, start=start, recurrence="FREQ=WEEKLY;COUNT=4")
    second = Event.objects.filter(series=first.series).order_by("start")[1]
    original = second.start
    event_update(
        actor=organiser,
        event=second,
        changes={
            "start": original + datetime.timedelta(days=1),
            "end": second.end + datetime.timedelta(days=1),
        },
    )
    second.refresh_from_db()
    assert second.recurrence_id == original
    assert second.is_moved
    assert EventSeries.objects.get().sequence == 1
    assert Event.objects.filter(series=first.series, start=original).count() == 0


def test_a_series_edit_changes_every_coming_date_but_not_the_times():
    organiser = MemberFactory()
    start = datetime.datetime(2099, 1, 6, 9, 0, tzinfo=PARIS)
    first = create(organiser, start=start, recurrence="FREQ=WEEKLY;COUNT=4", capacity=10)
    event_update(
        actor=organiser,
        event=first,
        changes={"location": "Salle 2", "capacity": 12},
        whole_series=True,
    )
    assert set(Event.objects.values_list("location", "capacity")) == {("Salle 2", 12)}
    with pytest.raises(ValidationError, match="une par une"):
        event_update(
            actor=organiser,
            event=first,
            changes={"start": start + datetime.timedelta(hours=1)},
            whole_series=True,
        )


def test_cancelling_a_whole_series_leaves_past_dates_alone():
    organiser = MemberFactory()
    first = create(organiser, start=in_days(1, hour=9), recurrence="FREQ=WEEKLY;COUNT=3")
    past = Event.objects.filter(series=first.series).order_by("start")[0]
    Event.objects.filter(pk=past.pk).update(
        start=timezone.now() - datetime.timedelta(days=1),
        end=timezone.now() - datetime.timedelta(hours=23),
    )
    event_cancel(actor=organiser, event=first, whole_series=True)
    statuses = list(Event.objects.order_by("recurrence_id").values_list("status", flat=True))
    assert statuses == ["scheduled", "cancelled", "cancelled"]


def test_co_organisers_are_added_and_removed_with_the_ledger():
    organiser = MemberFactory()
    first, second = MemberFactory.create_batch(2)
    event = create(organiser, co_organisers=[first])
    event_update(actor=organiser, event=event, changes={}, co_organisers=[second])
    assert set(event.organisers.all()) == {organiser, second}
    weights = dict(
        Contribution.objects.filter(kind="organised", member=first).values_list("weight", "member")
    )
    assert set(weights) == {1, -1}


def test_volunteers_are_told_when_their_event_moves_or_is_cancelled_once_each(
    django_capture_on_commit_callbacks,
):
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, title="Café du mardi")
    both, volunteer = MemberFactory.create_batch(2)
    rsvp_register(actor=both, event=event)
    shift = ShiftFactory(event=event, capacity=2)
    shift_signup(actor=both, shift=shift)
    shift_signup(actor=volunteer, shift=shift)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(
            actor=organiser,
            event=event,
            changes={
                "start": event.start + datetime.timedelta(hours=1),
                "end": event.end + datetime.timedelta(hours=1),
            },
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([both.email, volunteer.email])
    shift.refresh_from_db()
    assert shift.end == event.start
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(actor=organiser, event=event, message="Plus de café.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([both.email, volunteer.email])
    assert all("Plus de café." in m.body for m in mail.outbox)
