from django.utils.translation import gettext_lazy as _

from ruche.notifications.registry import NotificationKind, register

register(
    NotificationKind(
        name="accounts.sign_in_link",
        subject=_("Votre lien de connexion"),
        email_template="accounts/email/sign_in_link.txt",
        in_app=False,
        sensitive=True,
        category="account",
    )
)
