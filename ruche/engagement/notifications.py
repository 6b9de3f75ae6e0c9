from django.utils.translation import gettext_lazy as _

from ruche.notifications.enums import Category
from ruche.notifications.registry import NotificationKind, register

register(
    NotificationKind(
        name="engagement.thanked",
        subject=_("{giver} vous dit merci"),
        email_template="engagement/email/thanked.txt",
        category=Category.MENTIONS,
    )
)
