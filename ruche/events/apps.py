from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ruche.events"
    label = "events"
    verbose_name = _("Événements")

    def ready(self):
        from ruche.core.registry import registry

        _add_pages(registry)
        _add_jobs_and_search(registry)
        _add_personal_data(registry)


def _add_pages(registry) -> None:
    """The agenda in the navigation, its blocks on the home and account pages."""
    from ruche.core.registry import AccountSection, HomeSection, NavItem
    from ruche.events import home

    registry.add_nav(
        NavItem(
            label=_("Agenda"),
            url_name="events:event-list",
            order=40,
            prefixes=("/evenements", "/creneaux/"),
        )
    )
    registry.add_home_section(
        HomeSection(
            name="events.upcoming_public",
            template="events/home/_public_upcoming.html",
            build=home.public_upcoming,
            order=20,
            public=True,
        )
    )
    registry.add_home_section(
        HomeSection(
            name="events.my_upcoming",
            template="events/home/_my_upcoming.html",
            build=home.my_upcoming,
            order=10,
        )
    )
    registry.add_home_section(
        HomeSection(
            name="events.open_shifts",
            template="events/home/_open_shifts.html",
            build=home.open_shifts,
            order=25,
        )
    )
    registry.add_account_section(
        AccountSection(
            name="events.agenda",
            template="events/_account_agenda.html",
            build=lambda request: {},
            order=10,
        )
    )
    _add_page_sections(registry)


def _add_page_sections(registry) -> None:
    """The events of an initiative on its page, a group's meetings on the group's page."""
    from ruche.core.registry import PageSection
    from ruche.events import home

    registry.add_page_section(
        PageSection(
            page="initiatives.initiative",
            name="events.initiative_events",
            template="events/_initiative_events.html",
            build=home.initiative_events,
            order=10,
        )
    )
    registry.add_page_section(
        PageSection(
            page="groups.group",
            name="events.group_events",
            template="events/_group_events.html",
            build=home.group_events,
            order=10,
        )
    )


def _add_jobs_and_search(registry) -> None:
    from ruche.core.registry import PeriodicJob, SearchProvider
    from ruche.events import site_search
    from ruche.events.services.agenda import events_tomorrow_announce, reminders_send

    registry.add_periodic_job(
        PeriodicJob(name="events.reminders", run=reminders_send, every_seconds=900)
    )
    registry.add_periodic_job(
        PeriodicJob(
            name="events.announce_tomorrow",
            run=events_tomorrow_announce,
            every_seconds=3600,
        )
    )
    registry.add_search_provider(
        SearchProvider(
            name="events", label=_("Événements à venir"), search=site_search.events, order=30
        )
    )


def _add_personal_data(registry) -> None:
    from ruche.core.registry import PersonalData
    from ruche.events import personal_data

    registry.add_personal_data(
        PersonalData(
            name="events",
            export=personal_data.export,
            erase=personal_data.erase,
            order=60,
            count=personal_data.count,
        )
    )
