"""What every part of the events services shares: who may manage an event, and what
notifications about an event say."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext as _

from ruche.events.dates import when
from ruche.events.models import Event, ShiftSignup
from ruche.members.models import Member


def can_manage(member: Member | AnonymousUser | None, event: Event) -> bool:
    """Organisers of the event, the animation team and admins."""
    if member is None or not member.is_authenticated:
        return False
    if member.is_staff or member.is_animation_team:
        return True
    return any(organiser.pk == member.pk for organiser in event.organisers.all())


def require_manager(actor: Member | AnonymousUser | None, event: Event) -> None:
    if not can_manage(actor, event):
        raise PermissionDenied(
            _("Seules les personnes qui organisent cet événement peuvent faire cela.")
        )


def can_view(member: Member | AnonymousUser | None, event: Event) -> bool:
    return event.is_public or (member is not None and member.is_authenticated)


def event_context(event: Event, **extra: Any) -> dict[str, Any]:
    """What notifications about an event say, in the site's language (stored as JSON)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "event_id": event.pk,
            "title": event.title,
            "when": when(event.start, event.end),
            "location": event.location,
            "online_url": event.online_url,
            "url": event.get_absolute_url(),
            **extra,
        }


def people_concerned(event: Event) -> list[Member]:
    """Everyone a change to the event affects: registered (waiting list included) and
    volunteers on its slots, each once."""
    people = {rsvp.member_id: rsvp.member for rsvp in event.rsvps.active().select_related("member")}
    for signup in ShiftSignup.objects.filter(shift__event=event).select_related("member"):
        people.setdefault(signup.member_id, signup.member)
    return list(people.values())
