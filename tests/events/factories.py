import datetime

import factory
from django.utils import timezone

from ruche.events.enums import EventKind, RsvpStatus
from ruche.events.models import Event, Rsvp, Shift, ShiftSignup
from tests.factories import MemberFactory


def in_days(days: float, hour: int = 18) -> datetime.datetime:
    """A moment `days` from now, at `hour` o'clock Paris time."""
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Apéro numéro {n}")
    kind = EventKind.APERO
    description = "On se retrouve pour **trinquer**."
    start = factory.LazyFunction(lambda: in_days(7))
    end = factory.LazyAttribute(lambda e: e.start + datetime.timedelta(hours=2))
    location = "20 avenue de Ségur, Paris"
    capacity = None
    is_public = True
    created_by = factory.SubFactory(MemberFactory)

    @factory.post_generation
    def organisers(self, create, extracted, **kwargs):
        if not create:
            return
        self.organisers.set([self.created_by, *(extracted or [])])


def register(event, member, status=RsvpStatus.CONFIRMED) -> Rsvp:
    """An RSVP written directly (for data set-up; the services are tested on their own)."""
    Event.objects.filter(pk=event.pk).update(queue_counter=event.queue_counter + 1)
    event.refresh_from_db()
    return Rsvp.objects.create(
        event=event,
        member=member,
        status=status,
        queue_number=event.queue_counter,
        confirmed_at=timezone.now() if status == RsvpStatus.CONFIRMED else None,
    )


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    event = factory.SubFactory(EventFactory)
    label = "préparer le café"
    capacity = 2
    start = factory.LazyAttribute(lambda s: s.event.start - datetime.timedelta(minutes=30))
    end = factory.LazyAttribute(lambda s: s.event.start)


class ShiftSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShiftSignup

    shift = factory.SubFactory(ShiftFactory)
    member = factory.SubFactory(MemberFactory)
