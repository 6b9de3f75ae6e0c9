from django import template

from ruche.events import dates

register = template.Library()


@register.filter
def when(item) -> str:
    """« mardi 5 janvier 2027, de 9 h à 10 h 30 » for anything with start and end."""
    return dates.when(item.start, item.end)


@register.filter
def hour(moment) -> str:
    return dates.hour(moment)


@register.filter
def places_left(event) -> int | None:
    """Free places, from the `confirmed_count` annotation; None when unlimited."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.confirmed_count, 0)


@register.filter
def card_key(event) -> str:
    """Everything events/_event_card.html shows of an event, so that a card rendered once is
    reused (cached per process and language) until one of these changes."""
    return repr(
        (
            event.pk,
            event.title,
            event.location,
            event.online_url,
            event.kind,
            event.status,
            event.is_public,
            event.start,
            event.end,
            event.capacity,
            getattr(event, "confirmed_count", None),
            getattr(event, "waitlist_count", None),
            getattr(event, "my_rsvp_status", None),
        )
    )
