"""A member's agenda settings: the personal calendar feed and reminders."""

import datetime

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ruche.accounts.models import hash_secret, new_secret
from ruche.events.enums import EventStatus, RsvpStatus
from ruche.events.models import (
    EventPreferences,
    Rsvp,
)
from ruche.events.services.common import event_context
from ruche.members.models import Member
from ruche.notifications.services import notify

REMINDER_LEAD = datetime.timedelta(hours=24)

# ---------------------------------------------------------------------------------------------
# Personal calendar feed and reminders


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
    """Periodic: reminds registered members of events starting within a day. Each RSVP is
    claimed with a conditional update, so two runs (or two workers) remind once. Members who
    registered less than a day before are not reminded: they have just said yes."""
    now = now or timezone.now()
    due = (
        Rsvp.objects.filter(
            status=RsvpStatus.CONFIRMED,
            reminded_at__isnull=True,
            event__status=EventStatus.SCHEDULED,
            event__start__gt=now,
            event__start__lte=now + REMINDER_LEAD,
            confirmed_at__lt=F("event__start") - REMINDER_LEAD,
            member__is_active=True,
        )
        .exclude(member__event_preferences__reminders=False)
        .select_related("event", "member")
    )
    sent = 0
    for rsvp in due[:1000]:
        with transaction.atomic():
            claimed = Rsvp.objects.filter(pk=rsvp.pk, reminded_at__isnull=True).update(
                reminded_at=now
            )
            if not claimed:
                continue
            notify(
                rsvp.member,
                "events.reminder",
                event_context(rsvp.event, settings_url=reverse("events:my-agenda")),
            )
            sent += 1
    return sent
