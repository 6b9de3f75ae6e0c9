from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "ruche.initiatives"
    label = "initiatives"
    verbose_name = _("Initiatives et besoins")

    def ready(self):
        from ruche.core.registry import (
            HomeSection,
            NavItem,
            PersonalData,
            SearchProvider,
            registry,
        )
        from ruche.initiatives import home, personal_data, site_search

        registry.add_nav(
            NavItem(
                label=_("Initiatives"),
                url_name="initiatives:initiative-list",
                order=10,
                members_only=True,
            )
        )
        registry.add_nav(
            NavItem(
                label=_("Besoins"), url_name="initiatives:need-list", order=20, members_only=True
            )
        )
        registry.add_nav(
            NavItem(
                label=_("Modération"),
                url_name="initiatives:moderation",
                order=90,
                animation_team_only=True,
            )
        )
        for name, template, build, order in (
            ("initiatives.animation", "initiatives/home/_animation.html", home.animation_team, 2),
            ("initiatives.propose", "initiatives/home/_propose.html", home.propose, 5),
            ("initiatives.moving", "initiatives/home/_moving.html", home.moving, 30),
            ("initiatives.mine", "initiatives/home/_mine.html", home.mine, 40),
        ):
            registry.add_home_section(
                HomeSection(name=name, template=template, build=build, order=order)
            )
        registry.add_search_provider(
            SearchProvider(
                name="initiatives",
                label=_("Initiatives"),
                search=site_search.initiatives,
                order=10,
            )
        )
        registry.add_search_provider(
            SearchProvider(name="needs", label=_("Besoins"), search=site_search.needs, order=20)
        )
        registry.add_personal_data(
            PersonalData(
                name="initiatives",
                export=personal_data.export,
                erase=personal_data.erase,
                order=50,
                count=personal_data.count,
            )
        )
