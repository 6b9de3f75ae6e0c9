from django.utils.translation import gettext_lazy as _

from ruche.initiatives import digest
from ruche.notifications.enums import Category, Mode
from ruche.notifications.registry import (
    DigestSection,
    NotificationKind,
    register,
    register_digest_section,
)

# One kind per decision, so that each subject agrees in any language.
register(
    NotificationKind(
        name="initiatives.budget_approved",
        subject=_("Budget accordé pour « {title} »"),
        email_template="initiatives/email/budget_decided.txt",
        category=Category.INITIATIVES,
    )
)
register(
    NotificationKind(
        name="initiatives.budget_refused",
        subject=_("Budget refusé pour « {title} »"),
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
        subject=_("Contenu masqué par l’équipe d’animation : « {title} »"),
        email_template="initiatives/email/content_hidden.txt",
        # About the member's own words: not something to switch off.
        category=Category.ACCOUNT,
    )
)
register(
    NotificationKind(
        name="initiatives.new_initiative",
        subject=_("Nouvelle initiative : « {title} »"),
        email_template="initiatives/email/new_initiative.txt",
        category=Category.NEWS,
    )
)
register(
    NotificationKind(
        name="initiatives.new_need",
        subject=_("Nouveau besoin : « {title} »"),
        email_template="initiatives/email/new_need.txt",
        category=Category.NEWS,
    )
)
register(
    NotificationKind(
        name="initiatives.call_for_help",
        subject=_("« {title} » cherche : {label}"),
        email_template="initiatives/email/call_for_help.txt",
        category=Category.CALLS,
    )
)
register_digest_section(
    DigestSection(
        name="initiatives.news",
        order=30,
        template="initiatives/digest/news.txt",
        html_template="initiatives/digest/news.html",
        prepare=digest.news_prepare,
        build=digest.news_build,
        category=Category.NEWS,
        # Who chose e-mail or Ruche for news heard of each one already.
        modes=(Mode.DIGEST,),
        community=True,
    )
)
register_digest_section(
    DigestSection(
        name="initiatives.calls",
        order=5,
        template="initiatives/digest/calls.txt",
        html_template="initiatives/digest/calls.html",
        prepare=digest.calls_prepare,
        build=digest.calls_build,
        category=Category.CALLS,
        modes=(Mode.DIGEST,),
    )
)
