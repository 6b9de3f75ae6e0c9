import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ruche.engagement.models import Contribution
from ruche.events.enums import RsvpStatus
from ruche.events.models import Rsvp
from ruche.events.services.events import event_cancel, event_update
from ruche.events.services.registrations import rsvp_attendance_set, rsvp_cancel, rsvp_register
from tests.events.factories import EventFactory, in_days
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def registered_sum(member, event):
    return sum(
        c.weight
        for c in Contribution.objects.filter(member=member, kind="registered", subject_id=event.pk)
    )


def test_a_member_registers_while_places_are_left():
    event = EventFactory(capacity=3)
    member = MemberFactory()
    rsvp = rsvp_register(actor=member, event=event)
    assert rsvp.status == RsvpStatus.CONFIRMED
    assert rsvp.position is None
    assert registered_sum(member, event) == 1


def test_when_full_members_go_on_the_waiting_list_in_order():
    event = EventFactory(capacity=1)
    first, second, third = MemberFactory.create_batch(3)
    rsvp_register(actor=first, event=event)
    waiting = [rsvp_register(actor=m, event=event) for m in (second, third)]
    assert [r.status for r in waiting] == [RsvpStatus.WAITLISTED] * 2
    assert [r.position for r in waiting] == [1, 2]
    assert registered_sum(second, event) == 0


def test_it_refuses_a_second_rsvp():
    event = EventFactory()
    member = MemberFactory()
    rsvp_register(actor=member, event=event)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        rsvp_register(actor=member, event=event)
    assert Rsvp.objects.filter(event=event, member=member).count() == 1


def test_a_second_rsvp_on_the_waiting_list_tells_the_position():
    event = EventFactory(capacity=1)
    rsvp_register(actor=MemberFactory(), event=event)
    member = MemberFactory()
    rsvp_register(actor=member, event=event)
    with pytest.raises(ValidationError, match="position 1"):
        rsvp_register(actor=member, event=event)


def test_waitlist_is_promoted_on_cancel_and_told_by_email(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=1, title="Apéro de rentrée")
    first, second, third = MemberFactory.create_batch(3)
    for member in (first, second, third):
        rsvp_register(actor=member, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rsvp_cancel(actor=first, event=event)
    statuses = dict(Rsvp.objects.filter(event=event).values_list("member_id", "status"))
    assert statuses == {
        first.pk: RsvpStatus.CANCELLED,
        second.pk: RsvpStatus.CONFIRMED,
        third.pk: RsvpStatus.WAITLISTED,
    }
    assert Rsvp.objects.get(event=event, member=third).position == 1
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Apéro de rentrée" in mail.outbox[0].subject
    assert registered_sum(first, event) == 0
    assert registered_sum(second, event) == 1


def test_leaving_the_waiting_list_promotes_nobody():
    event = EventFactory(capacity=1)
    first, second, third = MemberFactory.create_batch(3)
    for member in (first, second, third):
        rsvp_register(actor=member, event=event)
    rsvp_cancel(actor=second, event=event)
    assert Rsvp.objects.get(event=event, member=first).status == RsvpStatus.CONFIRMED
    assert Rsvp.objects.get(event=event, member=third).position == 1


def test_registering_again_after_cancelling_goes_to_the_end_of_the_queue():
    event = EventFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    rsvp_register(actor=first, event=event)
    rsvp_cancel(actor=first, event=event)
    rsvp_register(actor=second, event=event)
    again = rsvp_register(actor=first, event=event)
    assert again.status == RsvpStatus.WAITLISTED
    assert again.position == 1
    assert Rsvp.objects.filter(event=event, member=first).count() == 1


def test_more_places_promote_people_waiting_in_order():
    organiser = MemberFactory()
    event = EventFactory(capacity=1, created_by=organiser)
    members = MemberFactory.create_batch(4)
    for member in members:
        rsvp_register(actor=member, event=event)
    event_update(actor=organiser, event=event, changes={"capacity": 3})
    statuses = [Rsvp.objects.get(event=event, member=m).status for m in members]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_unlimited_places_promote_everyone():
    organiser = MemberFactory()
    event = EventFactory(capacity=1, created_by=organiser)
    for member in MemberFactory.create_batch(3):
        rsvp_register(actor=member, event=event)
    event_update(actor=organiser, event=event, changes={"capacity": None})
    assert not Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).exists()


def test_fewer_places_send_the_last_confirmed_to_the_head_of_the_queue(
    django_capture_on_commit_callbacks,
):
    organiser = MemberFactory()
    event = EventFactory(capacity=3, created_by=organiser)
    members = MemberFactory.create_batch(5)
    for member in members:
        rsvp_register(actor=member, event=event)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(actor=organiser, event=event, changes={"capacity": 1})
    rsvps = {r.member_id: r for r in Rsvp.objects.filter(event=event)}
    assert rsvps[members[0].pk].status == RsvpStatus.CONFIRMED
    assert [rsvps[m.pk].position for m in members[1:]] == [1, 2, 3, 4]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([members[1].email, members[2].email])
    assert "liste d’attente" in mail.outbox[0].subject
    assert registered_sum(members[2], event) == 0


def test_it_refuses_rsvp_to_a_cancelled_event():
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser)
    event_cancel(actor=organiser, event=event)
    with pytest.raises(ValidationError, match="annulé"):
        rsvp_register(actor=MemberFactory(), event=event)


def test_it_refuses_rsvp_to_a_past_event():
    event = EventFactory(start=in_days(-2), end=in_days(-2) + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="passé"):
        rsvp_register(actor=MemberFactory(), event=event)


def test_one_cannot_unregister_once_the_event_has_started():
    event = EventFactory(start=timezone.now() + datetime.timedelta(minutes=5))
    member = MemberFactory()
    rsvp_register(actor=member, event=event)
    event.start = timezone.now() - datetime.timedelta(minutes=1)
    event.save()
    with pytest.raises(ValidationError, match="commencé"):
        rsvp_cancel(actor=member, event=event)


def test_organisers_mark_attendance_after_the_start_and_the_ledger_follows():
    organiser = MemberFactory()
    event = EventFactory(created_by=organiser, start=in_days(1))
    came, absent = MemberFactory.create_batch(2)
    for member in (came, absent):
        rsvp_register(actor=member, event=event)
    with pytest.raises(ValidationError, match="commencé"):
        rsvp_attendance_set(actor=organiser, event=event, present=[came.pk])
    event.start = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    assert rsvp_attendance_set(actor=organiser, event=event, present=[came.pk]) == 1
    assert Rsvp.objects.get(event=event, member=came).attended is True
    assert Rsvp.objects.get(event=event, member=absent).attended is False
    rsvp_attendance_set(actor=organiser, event=event, present=[came.pk])
    attended = Contribution.objects.filter(kind="attended", subject_id=event.pk)
    assert [(c.member_id, c.weight) for c in attended] == [(came.pk, 1)]
    rsvp_attendance_set(actor=organiser, event=event, present=[])
    assert sum(c.weight for c in attended.all()) == 0


def test_only_organisers_mark_attendance():
    event = EventFactory(start=in_days(-1))
    with pytest.raises(PermissionDenied):
        rsvp_attendance_set(actor=MemberFactory(), event=event, present=[])


def test_nobody_is_told_anything_when_the_change_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    from django.db import transaction

    event = EventFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    rsvp_register(actor=first, event=event)
    rsvp_register(actor=second, event=event)
    mail.outbox.clear()

    def failing_request():
        with transaction.atomic():
            rsvp_cancel(actor=first, event=event)
            raise RuntimeError("the request failed after the service ran")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        failing_request()
    assert callbacks == []
    assert mail.outbox == []
    assert Rsvp.objects.get(event=event, member=second).status == RsvpStatus.WAITLISTED
