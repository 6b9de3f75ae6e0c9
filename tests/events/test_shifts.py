import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ruche.engagement.models import Contribution
from ruche.events.models import Event, Shift, ShiftSignup
from ruche.events.recurrence import PARIS
from ruche.events.services.events import event_cancel, event_create
from ruche.events.services.shifts import (
    shift_create,
    shift_delete,
    shift_signup,
    shift_swap_accept,
    shift_swap_offer,
    shift_withdraw,
)
from tests.events.factories import EventFactory, ShiftFactory
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def volunteered(member, shift):
    return sum(
        c.weight
        for c in Contribution.objects.filter(
            member=member, kind="volunteered", subject_type="shift", subject_id=shift.pk
        )
    )


def test_organisers_add_a_slot_to_every_coming_date_of_a_series():
    organiser = MemberFactory()
    start = datetime.datetime(2099, 1, 6, 9, 0, tzinfo=PARIS)
    first = event_create(
        actor=organiser,
        title="Café",
        kind="cafe",
        start=start,
        end=start + datetime.timedelta(hours=1),
        location="Ségur",
        recurrence="FREQ=WEEKLY;COUNT=3",
    )
    shifts = shift_create(
        actor=organiser,
        event=first,
        label="préparer le café",
        capacity=2,
        start=start - datetime.timedelta(minutes=15),
        end=start + datetime.timedelta(minutes=15),
        whole_series=True,
    )
    assert len(shifts) == 3
    for shift in Shift.objects.select_related("event"):
        assert shift.start == shift.event.start - datetime.timedelta(minutes=15)


def test_a_member_cannot_add_slots_to_someone_elses_event():
    event = EventFactory()
    with pytest.raises(PermissionDenied):
        shift_create(
            actor=MemberFactory(),
            event=event,
            label="accueil",
            capacity=1,
            start=event.start,
            end=event.end,
        )


def test_a_slot_needs_at_least_one_person():
    event = EventFactory()
    with pytest.raises(ValidationError) as excinfo:
        shift_create(
            actor=event.created_by,
            event=event,
            label="accueil",
            capacity=0,
            start=event.start,
            end=event.end,
        )
    assert "au moins une personne" in excinfo.value.message_dict["capacity"][0]


def test_signing_up_fills_a_slot_and_a_full_slot_refuses():
    shift = ShiftFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    shift_signup(actor=first, shift=shift)
    assert volunteered(first, shift) == 1
    with pytest.raises(ValidationError, match="complet"):
        shift_signup(actor=second, shift=shift)
    with pytest.raises(ValidationError, match="déjà pris"):
        shift_signup(actor=first, shift=shift)


def test_withdrawing_frees_the_place_and_undoes_the_ledger():
    shift = ShiftFactory(capacity=1)
    member = MemberFactory()
    shift_signup(actor=member, shift=shift)
    shift_withdraw(actor=member, shift=shift)
    assert not ShiftSignup.objects.exists()
    assert volunteered(member, shift) == 0
    shift_signup(actor=MemberFactory(), shift=shift)


def test_a_swap_moves_the_slot_to_the_member_who_accepts(django_capture_on_commit_callbacks):
    shift = ShiftFactory(capacity=1)
    offerer, taker = MemberFactory.create_batch(2)
    signup = shift_signup(actor=offerer, shift=shift)
    shift_swap_offer(actor=offerer, shift=shift)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        shift_swap_accept(actor=taker, signup=signup)
    assert list(ShiftSignup.objects.values_list("member_id", "swap_offered_at")) == [
        (taker.pk, None)
    ]
    assert volunteered(offerer, shift) == 0
    assert volunteered(taker, shift) == 1
    assert [m.to for m in mail.outbox] == [[offerer.email]]
    assert taker.display_name in mail.outbox[0].subject


def test_a_swap_cannot_be_taken_twice_nor_without_an_offer():
    shift = ShiftFactory(capacity=1)
    offerer, taker, late = MemberFactory.create_batch(3)
    signup = shift_signup(actor=offerer, shift=shift)
    with pytest.raises(ValidationError, match="plus proposé"):
        shift_swap_accept(actor=taker, signup=signup)
    shift_swap_offer(actor=offerer, shift=shift)
    shift_swap_accept(actor=taker, signup=signup)
    with pytest.raises(ValidationError, match="plus proposé"):
        shift_swap_accept(actor=late, signup=signup)


def test_an_offer_can_be_taken_back():
    shift = ShiftFactory(capacity=1)
    offerer = MemberFactory()
    signup = shift_signup(actor=offerer, shift=shift)
    shift_swap_offer(actor=offerer, shift=shift)
    shift_swap_offer(actor=offerer, shift=shift, offered=False)
    with pytest.raises(ValidationError, match="plus proposé"):
        shift_swap_accept(actor=MemberFactory(), signup=signup)


def test_a_slot_of_a_cancelled_event_is_closed():
    shift = ShiftFactory()
    event_cancel(actor=shift.event.created_by, event=shift.event)
    shift.refresh_from_db()
    with pytest.raises(ValidationError, match="annulé"):
        shift_signup(actor=MemberFactory(), shift=Shift.objects.get(pk=shift.pk))


def test_deleting_a_slot_undoes_the_volunteers_ledger():
    shift = ShiftFactory()
    member = MemberFactory()
    shift_signup(actor=member, shift=shift)
    shift_id = shift.pk
    shift_delete(actor=shift.event.created_by, shift=shift)
    assert not Event.objects.get().shifts.exists()
    assert (
        sum(c.weight for c in Contribution.objects.filter(kind="volunteered", subject_id=shift_id))
        == 0
    )
