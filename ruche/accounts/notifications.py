from django.utils.translation import gettext_lazy as _

from ruche.accounts.links import sign_in_link_mint
from ruche.accounts.personal_data import data_export_mint
from ruche.notifications.enums import Category
from ruche.notifications.registry import NotificationKind, register

register(
    NotificationKind(
        name="accounts.sign_in_link",
        subject=_("Votre lien de connexion"),
        email_template="accounts/email/sign_in_link.txt",
        category=Category.ACCOUNT,
        in_app=False,
        at_send=sign_in_link_mint,
    )
)

register(
    NotificationKind(
        name="accounts.data_export",
        subject=_("Vos données Ruche sont prêtes"),
        email_template="accounts/email/data_export.txt",
        category=Category.ACCOUNT,
        in_app=False,
        at_send=data_export_mint,
    )
)
