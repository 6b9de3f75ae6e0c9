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
