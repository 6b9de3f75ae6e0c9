from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruche.health.enums import HealthState, Unit

register = template.Library()

BADGES = {
    HealthState.GOOD: "fr-badge--success",
    HealthState.WATCH: "fr-badge--warning",
    HealthState.ALERT: "fr-badge--error",
}


@register.filter
def figure(value, unit) -> str:
    """A figure as people read it: « 42 % », « 12 jours », « 1 234 »; « — » for none."""
    if value is None:
        return "—"
    if unit == Unit.RATIO:
        return _("%(percent)s %%") % {"percent": number_format(round(value * 100))}
    if unit == Unit.DAYS:
        days = round(value)
        return ngettext("%(days)s jour", "%(days)s jours", days) % {"days": number_format(days)}
    return number_format(value, use_l10n=True, force_grouping=True)


@register.simple_tag
def change(value, previous, unit) -> str:
    """How a figure moved since the period before: « +3 points », « −2 », « stable »."""
    if value is None or previous is None:
        return ""
    if unit == Unit.RATIO:
        points = round(value * 100) - round(previous * 100)
        if not points:
            return _("stable")
        return ngettext("%(sign)s%(points)s point", "%(sign)s%(points)s points", abs(points)) % {
            "sign": "+" if points > 0 else "−",
            "points": abs(points),
        }
    difference = value - previous
    if not difference:
        return _("stable")
    return f"{'+' if difference > 0 else '−'}{number_format(abs(difference))}"


@register.filter
def badge(state) -> str:
    return BADGES.get(state, "fr-badge--info")


@register.filter
def state_label(state) -> str:
    if state in HealthState.values:
        return str(HealthState(state).label)
    return _("Pas assez de données")
