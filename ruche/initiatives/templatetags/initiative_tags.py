from django import template

register = template.Library()


@register.filter
def card_key(initiative) -> str:
    """Everything initiatives/_initiative_card.html shows of an initiative, so that a card
    rendered once is reused (cached per process and language) until one of these changes."""
    incubator = initiative.incubator
    return repr(
        (
            initiative.pk,
            initiative.title,
            initiative.summary,
            initiative.status,
            initiative.kind,
            initiative.hidden,
            initiative.created_at,
            getattr(initiative, "support_count", None),
            getattr(initiative, "participant_count", None),
            incubator.title if incubator else None,
            [(role.label, role.places_left) for role in getattr(initiative, "open_roles", ())],
        )
    )
