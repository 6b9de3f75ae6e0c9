from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ruche.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from ruche.core.registry import PeriodicJob, registry
        from ruche.notifications import services

        autodiscover_modules("notifications")
        registry.add_periodic_job(
            PeriodicJob(
                name="notifications.retry", run=services.retry_undelivered, every_seconds=300
            )
        )
