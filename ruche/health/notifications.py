"""The health app's section of the weekly digest (discovered by ruche.notifications at start-up):
the animation team reads the alert in force there too."""

from django.urls import reverse

from ruche.health.services import transverse_alert
from ruche.notifications.registry import DigestSection, register_digest_section


def alert_prepare(now):
    found = transverse_alert(now=now)
    return {**found, "url": reverse("health:dashboard")} if found else None


def alert_build(member, now, prepared) -> dict | None:
    if prepared is None or not member.is_animation_team:
        return None
    return {"alert": prepared}


register_digest_section(
    DigestSection(
        name="health.alert",
        order=1,
        template="health/email/digest_alert.txt",
        prepare=alert_prepare,
        build=alert_build,
    )
)
