"""A member's agenda settings: the personal calendar feed and reminders."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.core.secrets import hash_secret, new_secret
from ruche.events.dates import hour, when
from ruche.events.enums import EventStatus, RsvpStatus
from ruche.events.models import Event, EventPreferences, Rsvp, ShiftSignup
from ruche.events.services.common import event_context
from ruche.members.models import Member
from ruche.notifications.announcements import announce
from ruche.notifications.enums import Topic
from ruche.notifications.services import notify

REMINDER_LEAD = datetime.timedelta(hours=24)
# At most this many of each kind per run; the next run (15 minutes later) takes the rest.
REMINDER_BATCH = 1000


def preferences_for(member: Member) -> EventPreferences:
    preferences, _created = EventPreferences.objects.get_or_create(member=member)
    return preferences


def preferences_update(*, actor: Member, reminders: bool) -> EventPreferences:
    with transaction.atomic():
        preferences = preferences_for(actor)
        preferences.reminders = reminders
        preferences.save(update_fields=["reminders"])
    return preferences


def calendar_feed_create(*, actor: Member) -> str:
    """A new secret link to the member's personal feed; any previous link stops working. The
    secret is shown once: only its hash is kept."""
    secret = new_secret()
    with transaction.atomic():
        preferences = preferences_for(actor)
        preferences.feed_token_hash = hash_secret(secret)
        preferences.feed_created_at = timezone.now()
        preferences.feed_used_at = None
        preferences.save()
    return secret


def calendar_feed_revoke(*, actor: Member) -> None:
    EventPreferences.objects.filter(member=actor).update(
        feed_token_hash=None, feed_created_at=None, feed_used_at=None
    )


def calendar_feed_member(*, secret: str) -> Member | None:
    preferences = (
        EventPreferences.objects.select_related("member")
        .filter(feed_token_hash=hash_secret(secret or ""), member__is_active=True)
        .first()
    )
    if preferences is None:
        return None
    now = timezone.now()
    if preferences.feed_used_at is None or now - preferences.feed_used_at > datetime.timedelta(
        hours=1
    ):
        EventPreferences.objects.filter(pk=preferences.pk).update(feed_used_at=now)
    return preferences.member


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Periodic: the day before, reminds members of the events they registered for and of the
    volunteer slots they took — one message per event, listing their slots on it. Each row is
    claimed with a conditional update, so two runs (or two workers) remind once. Whoever said
    yes less than a day before is not reminded: they have just said it. Returns how many
    messages were sent."""
    now = now or timezone.now()
    return _rsvps_remind(now) + _signups_remind(now)


def _rsvps_remind(now: datetime.datetime) -> int:
    """Registered members, with the slots they took on the event."""
    sent = 0
    rsvps = _wanting_reminders(
        Rsvp.objects.filter(
            status=RsvpStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__status=EventStatus.SCHEDULED,
            event__start__gt=now,
            event__start__lte=now + REMINDER_LEAD,
            confirmed_at__lt=F("event__start") - REMINDER_LEAD,
        )
    ).select_related("event", "member")
    for rsvp in rsvps[:REMINDER_BATCH]:
        with transaction.atomic():
            if not _claim(Rsvp, rsvp.pk, now):
                continue
            slots = [
                signup
                for signup in ShiftSignup.objects.filter(
                    member=rsvp.member_id, shift__event=rsvp.event_id, reminded_at__isnull=True
                ).select_related("shift")
                if _claim(ShiftSignup, signup.pk, now)
            ]
            with translation.override(settings.LANGUAGE_CODE):
                shifts = [
                    f"{s.shift.label} ({hour(s.shift.start)} – {hour(s.shift.end)})" for s in slots
                ]
            notify(
                rsvp.member,
                "events.reminder",
                event_context(rsvp.event, settings_url=reverse("events:my-agenda"), shifts=shifts),
            )
            sent += 1
    return sent


def _signups_remind(now: datetime.datetime) -> int:
    """Volunteers whose slot's event they are not registered for (the others were told with
    their registration)."""
    sent = 0
    signups = _wanting_reminders(
        ShiftSignup.objects.filter(
            reminded_at__isnull=True,
            shift__event__status=EventStatus.SCHEDULED,
            shift__start__gt=now,
            shift__start__lte=now + REMINDER_LEAD,
            created_at__lt=F("shift__start") - REMINDER_LEAD,
        )
    ).select_related("shift__event", "member")
    for signup in signups[:REMINDER_BATCH]:
        with transaction.atomic():
            if not _claim(ShiftSignup, signup.pk, now):
                continue
            shift = signup.shift
            with translation.override(settings.LANGUAGE_CODE):
                context = event_context(
                    shift.event,
                    label=shift.label,
                    when=when(shift.start, shift.end),
                    swap_offered=signup.swap_offered_at is not None,
                    settings_url=reverse("events:my-agenda"),
                )
            notify(signup.member, "events.shift_reminder", context)
            sent += 1
    return sent


def _wanting_reminders[M: (Rsvp, ShiftSignup)](queryset: QuerySet[M]) -> QuerySet[M]:
    return queryset.filter(member__is_active=True).exclude(
        member__event_preferences__reminders=False
    )


def _claim(model: type[Rsvp | ShiftSignup], pk: int, now: datetime.datetime) -> bool:
    return bool(model.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now))


# Tomorrow's events are announced in the morning, when the rooms read, not at midnight.
ANNOUNCE_TOMORROW_FROM = datetime.time(10)


def events_tomorrow_announce(*, now: datetime.datetime | None = None) -> int:
    """Periodic: announces in the chat the public events of tomorrow (Paris) that still have
    places, once each (the announcement's key makes a second run a no-op)."""
    now = now or timezone.now()
    if timezone.localtime(now).time() < ANNOUNCE_TOMORROW_FROM:
        return 0
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    events = (
        Event.objects.public()
        .filter(status=EventStatus.SCHEDULED, start__date=tomorrow)
        .with_rsvp_counts()
        .order_by("start", "pk")
    )
    announced = 0
    for event in events:
        if event.capacity is not None and event.confirmed_count >= event.capacity:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            places = (
                ngettext(
                    "%(count)d place libre", "%(count)d places libres",
                    event.capacity - event.confirmed_count,
                ) % {"count": event.capacity - event.confirmed_count}
                if event.capacity is not None
                else _("places libres")
            )  # fmt: skip
            summary = f"{when(event.start, event.end)} — {places}"
        with transaction.atomic():
            if announce(
                topic=Topic.EVENT_TOMORROW,
                title=event.title,
                url=event.get_absolute_url(),
                summary=summary,
                incubator_id=event.incubator_id,
                group_id=event.group_id,
                key=f"event_tomorrow:{event.pk}:{tomorrow.isoformat()}",
            ):
                announced += 1
    return announced
