"""What the engagement app tells people (discovered at start-up): a thanks right away, and
the thanks received in the weekly digest."""

from django.utils.translation import gettext_lazy as _

from ruche.engagement import digest
from ruche.notifications.enums import Category
from ruche.notifications.registry import (
    DigestSection,
    NotificationKind,
    register,
    register_digest_section,
)

register(
    NotificationKind(
        name=digest.THANKED,
        subject=_("{giver} vous dit merci"),
        email_template="engagement/email/thanked.txt",
        category=Category.MENTIONS,
    )
)

register_digest_section(
    DigestSection(
        name="engagement.thanks",
        order=32,
        template="engagement/digest/thanks.txt",
        html_template="engagement/digest/thanks.html",
        prepare=digest.thanks_prepare,
        build=digest.thanks_build,
        category=Category.MENTIONS,
    )
)
