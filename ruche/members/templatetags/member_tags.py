from django import template

register = template.Library()


@register.filter
def card_key(member) -> str:
    """Everything members/_member_card.html shows of a member, so that a card rendered once is
    reused (cached per process and language) until one of these changes, today included: the
    running missions are today's."""
    missions = member.missions.all()
    return repr(
        (
            member.pk,
            member.display_name,
            member.role,
            member.domaine,
            member.transverse_role,
            bool(missions),
            [[s.name for s in m.startups.all()] for m in member.running_missions()],
        )
    )
