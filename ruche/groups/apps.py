from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "ruche.groups"
    label = "groups"
    verbose_name = _("Groupes de travail")

    def ready(self):
        from ruche.core.registry import (
            NavItem,
            PageSection,
            PeriodicJob,
            PersonalData,
            SearchProvider,
            registry,
        )
        from ruche.groups import pages, personal_data, services, site_search

        registry.add_nav(
            NavItem(
                label=_("Groupes"), url_name="groups:group-list", order=45, prefixes=("/groupes",)
            )
        )
        registry.add_page_section(
            PageSection(
                page="initiatives.initiative",
                name="groups.initiative_group",
                template="groups/_initiative_group.html",
                build=pages.initiative_group,
                order=20,
            )
        )
        registry.add_periodic_job(
            PeriodicJob(name="groups.reviews", run=services.reviews_remind, every_seconds=3600)
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="groups.proposals_closing", run=services.proposals_remind, every_seconds=3600
            )
        )
        registry.add_search_provider(
            SearchProvider(name="groups", label=_("Groupes"), search=site_search.groups, order=35)
        )
        registry.add_personal_data(
            PersonalData(
                name="groups",
                export=personal_data.export,
                erase=personal_data.erase,
                order=70,
                count=personal_data.count,
            )
        )
