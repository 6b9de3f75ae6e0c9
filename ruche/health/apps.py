from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "ruche.health"
    label = "health"
    verbose_name = _("Santé de la communauté")

    def ready(self):
        from ruche.core.registry import HomeSection, NavItem, PeriodicJob, PersonalData, registry
        from ruche.health import home, personal_data, services

        registry.add_nav(
            NavItem(label=_("Santé"), url_name="health:dashboard", order=90, members_only=True)
        )
        registry.add_home_section(
            HomeSection(
                name="health.alert",
                template="health/home/_alert.html",
                build=home.alert,
                order=1,
            )
        )
        # Hourly, so that a worker started mid-day catches up soon; each period is computed
        # at most once a day.
        registry.add_periodic_job(
            PeriodicJob(name="health.snapshots", run=services.snapshots_refresh, every_seconds=3600)
        )
        registry.add_personal_data(
            PersonalData(
                name="health",
                export=personal_data.export,
                erase=personal_data.erase,
                order=80,
            )
        )
