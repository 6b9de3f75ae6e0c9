"""What the notifications app itself sends, and its section of the digest (discovered at
start-up, like every app's)."""

from django.utils.translation import gettext_lazy as _

from ruche.notifications import digest
from ruche.notifications.enums import Category
from ruche.notifications.registry import (
    DigestSection,
    NotificationKind,
    register,
    register_digest_section,
)

register(
    NotificationKind(
        name="notifications.digest",
        subject=_("Votre récapitulatif de la semaine du {week}"),
        email_template="notifications/email/digest.txt",
        html_template="notifications/email/digest.html",
        category=Category.ACCOUNT,
        in_app=False,
    )
)
register(
    NotificationKind(
        name="notifications.channel_failing",
        subject=_("Le salon « {name} » ne reçoit plus les annonces depuis un jour"),
        email_template="notifications/email/channel_failing.txt",
        category=Category.ACCOUNT,
    )
)
register_digest_section(
    DigestSection(
        name=digest.GATHERED_SECTION,
        order=0,
        template="notifications/digest/gathered.txt",
        html_template="notifications/digest/gathered.html",
        prepare=digest.gathered_prepare,
        build=digest.gathered_build,
    )
)
