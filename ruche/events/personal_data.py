"""A member's registrations, slots, events and talks, for « Mes données »."""

from ruche.core.personal_data import hand_over, rows
from ruche.events.models import Event, EventPreferences, EventSeries, Rsvp, ShiftSignup, Speaker
from ruche.members.models import PLACEHOLDER_EMAIL, PLACEHOLDER_NAME, Member


def export(member: Member) -> dict:
    preferences = EventPreferences.objects.filter(member=member).first()
    return {
        "rsvps": rows(
            Rsvp.objects.filter(member=member),
            "event_id",
            "event__title",
            "event__start",
            "status",
            "registered_at",
            "confirmed_at",
            "cancelled_at",
            "attended",
        ),
        "slots": rows(
            ShiftSignup.objects.filter(member=member),
            "shift__event_id",
            "shift__event__title",
            "shift__label",
            "shift__start",
            "created_at",
        ),
        "events_organised": rows(
            Event.objects.filter(organisers=member), "id", "title", "start", "status"
        ),
        "talks": rows(
            Speaker.objects.filter(member=member),
            "event_id",
            "event__title",
            "talk_title",
            "status",
            "invited_at",
        ),
        "series_created": rows(
            EventSeries.objects.filter(created_by=member), "id", "rrule", "dtstart"
        ),
        "speakers_invited": rows(
            Speaker.objects.filter(invited_by=member),
            "event_id",
            "event__title",
            "talk_title",
            "status",
            "invited_at",
        ),
        # The calendar link's secret is never stored, only whether there is one.
        "agenda_preferences": preferences
        and {
            "reminders": preferences.reminders,
            "calendar_link_created_at": preferences.feed_created_at,
            "calendar_link_used_at": preferences.feed_used_at,
        },
    }


def erase(member: Member, placeholder: Member) -> None:
    """Registrations and slots stay, held by the placeholder, so that places taken stay taken
    and past figures do not move; the calendar link and preferences go with the member."""
    hand_over(Event.objects.filter(created_by=member), "created_by", placeholder)
    hand_over(EventSeries.objects.filter(created_by=member), "created_by", placeholder)
    hand_over(Speaker.objects.filter(invited_by=member), "invited_by", placeholder)
    # A talk stays on the event's page, given by « ancien membre »: no name, address nor bio.
    talks = Speaker.objects.filter(member=member)
    talks.update(name=PLACEHOLDER_NAME, email=PLACEHOLDER_EMAIL, bio="")
    hand_over(talks, "member", placeholder)
    organisers = Event.organisers.through.objects
    hand_over(organisers.filter(member=member), "member", placeholder, unique_with="event")
    hand_over(Rsvp.objects.filter(member=member), "member", placeholder, unique_with="event")
    hand_over(ShiftSignup.objects.filter(member=member), "member", placeholder, unique_with="shift")
    EventPreferences.objects.filter(member=member).delete()


def count(member: Member) -> int:
    return Rsvp.objects.filter(member=member).count()
