from django import template
from django.utils import timezone

from ruche.events import dates

register = template.Library()


@register.filter
def when(item) -> str:
    """« mardi 5 janvier 2027, de 9 h à 10 h 30 » for anything with start and end."""
    return dates.when(item.start, item.end)


@register.filter
def hour(moment) -> str:
    return dates.hour(moment)


@register.simple_tag
def initiative_events(initiative, limit: int = 10) -> dict:
    """The coming and recent events of an initiative, for its page."""
    from ruche.events.models import Event

    now = timezone.now()
    events = Event.objects.filter(initiative=initiative).with_rsvp_counts()
    return {
        "upcoming": list(events.upcoming(now).order_by("start", "pk")[:limit]),
        "past": list(events.past(now).order_by("-start", "-pk")[:limit]),
    }


@register.filter
def places_left(event) -> int | None:
    """Free places, from the `confirmed_count` annotation; None when unlimited."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_count, 0)
