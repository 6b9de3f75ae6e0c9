import datetime

from django import template

register = template.Library()


@register.filter
def card_key(group, today: datetime.date) -> str:
    """Everything groups/_group_card.html shows of a group (with `today`, whether its review is
    due), so that a card rendered once is reused (kept per process and language) until one of
    these changes."""
    incubator = group.incubator
    return repr(
        (
            group.pk,
            group.slug,
            group.name,
            group.description,
            group.mandate,
            group.kind,
            group.status,
            group.review_on < today,
            getattr(group, "member_count", None),
            incubator.title if incubator else None,
            getattr(group, "next_meeting", None),
        )
    )
