"""What the notifications app itself sends (discovered at start-up, like every app's)."""

from django.utils.translation import gettext_lazy as _

from ruche.notifications.registry import NotificationKind, register

register(
    NotificationKind(
        name="notifications.digest",
        subject=_("Votre récapitulatif de la semaine du {week}"),
        email_template="notifications/email/digest.txt",
        in_app=False,
        category="digest",
    )
)
