from django.utils.translation import gettext_lazy as _

from ruche.notifications.enums import Category
from ruche.notifications.registry import NotificationKind, register

register(
    NotificationKind(
        name="initiatives.budget_decided",
        subject=_("Budget {decision} pour « {title} »"),
        email_template="initiatives/email/budget_decided.txt",
        category=Category.INITIATIVES,
    )
)
register(
    NotificationKind(
        name="initiatives.mentioned",
        subject=_("{author} vous mentionne à propos de « {title} »"),
        email_template="initiatives/email/mentioned.txt",
        category=Category.MENTIONS,
    )
)
register(
    NotificationKind(
        name="initiatives.co_lead_added",
        subject=_("Vous co-portez « {title} »"),
        email_template="initiatives/email/co_lead_added.txt",
        category=Category.INITIATIVES,
    )
)
register(
    NotificationKind(
        name="initiatives.participant_joined",
        subject=_("{member_name} rejoint « {title} »"),
        email_template="initiatives/email/participant_joined.txt",
        category=Category.INITIATIVES,
    )
)
register(
    NotificationKind(
        name="initiatives.content_hidden",
        subject=_("Masqué par l’équipe d’animation : « {title} »"),
        email_template="initiatives/email/content_hidden.txt",
        # About the member's own words: not something to switch off.
        category=Category.ACCOUNT,
    )
)
