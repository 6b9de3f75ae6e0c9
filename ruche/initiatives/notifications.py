from django.utils.translation import gettext_lazy as _

from ruche.notifications.registry import NotificationKind, register

# One kind per decision, so that each subject agrees in any language.
register(
    NotificationKind(
        name="initiatives.budget_approved",
        subject=_("Budget accordé pour « {title} »"),
        email_template="initiatives/email/budget_decided.txt",
        category="initiatives",
    )
)
register(
    NotificationKind(
        name="initiatives.budget_refused",
        subject=_("Budget refusé pour « {title} »"),
        email_template="initiatives/email/budget_decided.txt",
        category="initiatives",
    )
)
register(
    NotificationKind(
        name="initiatives.mentioned",
        subject=_("{author} vous mentionne à propos de « {title} »"),
        email_template="initiatives/email/mentioned.txt",
        category="initiatives",
    )
)
register(
    NotificationKind(
        name="initiatives.co_lead_added",
        subject=_("Vous co-portez « {title} »"),
        email_template="initiatives/email/co_lead_added.txt",
        category="initiatives",
    )
)
register(
    NotificationKind(
        name="initiatives.participant_joined",
        subject=_("{member_name} rejoint « {title} »"),
        email_template="initiatives/email/participant_joined.txt",
        category="initiatives",
    )
)
register(
    NotificationKind(
        name="initiatives.content_hidden",
        subject=_("Contenu masqué par l’équipe d’animation : « {title} »"),
        email_template="initiatives/email/content_hidden.txt",
        category="moderation",
    )
)
