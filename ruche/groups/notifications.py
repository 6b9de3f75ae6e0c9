"""What the groups app offers the notifications app (discovered at start-up): its kinds of
notification, its section of the digest, and a group's own chat room as a channel scope. A
group's decision is announced with `announce(topic=Topic.GROUP_DECISION, …, group_id=…)` in
the transaction that records it."""

from django.utils.translation import gettext_lazy as _

from ruche.groups import digest
from ruche.groups.models import WorkingGroup
from ruche.notifications.enums import Category, Mode, Scope
from ruche.notifications.registry import (
    DigestSection,
    NotificationKind,
    ScopeChoices,
    register,
    register_digest_section,
    register_scope_choices,
)

register_scope_choices(
    ScopeChoices(
        scope=Scope.GROUP,
        choices=lambda: list(WorkingGroup.objects.order_by("name").values_list("pk", "name")),
    )
)

for name, subject in (
    ("join_requested", _("{member_name} demande à rejoindre « {group} »")),
    ("join_accepted", _("Bienvenue dans le groupe « {group} »")),
    ("join_refused", _("Votre demande pour le groupe « {group} »")),
    ("co_lead_added", _("Vous animez le groupe « {group} »")),
    ("new_proposal", _("« {group} » vous demande votre avis : {question}")),
    ("proposal_closing", _("Dernier jour pour répondre : {question}")),
    ("decision_recorded", _("« {group} » a décidé : {title}")),
    ("review_near", _("Le groupe « {group} » est bientôt à revoir")),
):
    register(
        NotificationKind(
            name=f"groups.{name}",
            subject=subject,
            email_template=f"groups/email/{name}.txt",
            category=Category.GROUPS,
        )
    )

register_digest_section(
    DigestSection(
        name="groups.news",
        order=35,
        template="groups/digest/news.txt",
        html_template="groups/digest/news.html",
        prepare=digest.news_prepare,
        build=digest.news_build,
        category=Category.GROUPS,
        modes=(Mode.DIGEST,),
    )
)
