from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "ruche.members"
    label = "members"
    verbose_name = _("Membres")

    def ready(self):
        from ruche.core.registry import NavItem, registry

        registry.add_nav(
            NavItem(
                label=_("Membres"),
                url_name="members:member-list",
                order=60,
                prefixes=("/startups/", "/incubateurs/"),
                members_only=True,
            )
        )
