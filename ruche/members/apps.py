from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "ruche.members"
    label = "members"
    verbose_name = _("Membres")

    def ready(self):
        from ruche.core.registry import NavItem, PersonalData, SearchProvider, registry
        from ruche.members import personal_data, site_search
        from ruche.members.mentions import profile_urls

        registry.add_nav(
            NavItem(
                label=_("Membres"),
                url_name="members:member-list",
                order=60,
                prefixes=("/startups/", "/incubateurs/"),
                members_only=True,
            )
        )
        registry.mention_resolver = profile_urls
        registry.add_search_provider(
            SearchProvider(name="members", label=_("Membres"), search=site_search.members, order=40)
        )
        registry.add_personal_data(
            PersonalData(
                name="members",
                export=personal_data.export,
                erase=personal_data.erase,
                order=10,
            )
        )
