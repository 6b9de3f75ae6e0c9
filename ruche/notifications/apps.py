from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "ruche.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from ruche.core.registry import AccountSection, PeriodicJob, registry
        from ruche.notifications import services

        autodiscover_modules("notifications")
        registry.add_periodic_job(
            PeriodicJob(
                name="notifications.retry", run=services.retry_undelivered, every_seconds=300
            )
        )
        # Frequent, so that the digest leaves soon after Monday 8 a.m.; the job itself knows
        # whether this week's is due.
        registry.add_periodic_job(
            PeriodicJob(name="notifications.digest", run=services.digest_send, every_seconds=900)
        )
        registry.add_account_section(
            AccountSection(
                name="notifications.preferences",
                template="notifications/_account_notifications.html",
                build=lambda request: {"preferences": services.preferences_for(request.user)},
                order=20,
            )
        )
