from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ruche.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self) -> None:
        from ruche.core import checks  # noqa: F401 (registers the checks)
        from ruche.core.periodic import clear_expired_sessions, prune_task_results
        from ruche.core.ratelimit import counters_purge
        from ruche.core.registry import NavItem, PeriodicJob, registry

        registry.add_nav(NavItem(label=_("Accueil"), url_name="core:home", order=0))
        registry.add_periodic_job(
            PeriodicJob(
                name="core.prune_task_results", run=prune_task_results, every_seconds=60 * 60
            )
        )
        registry.add_periodic_job(
            PeriodicJob(name="core.purge_rate_limits", run=counters_purge, every_seconds=10 * 60)
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="core.clear_expired_sessions",
                run=clear_expired_sessions,
                every_seconds=60 * 60 * 24,
            )
        )
