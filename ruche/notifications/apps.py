from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


def _environment_channels(**kwargs):
    from ruche.notifications.announcements import environment_channels_sync

    environment_channels_sync()


class NotificationsConfig(AppConfig):
    name = "ruche.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from ruche.core.registry import AccountSection, PeriodicJob, PersonalData, registry
        from ruche.notifications import announcements, digest, personal_data, services, tasks

        autodiscover_modules("notifications")
        post_migrate.connect(_environment_channels, sender=self)
        registry.add_periodic_job(
            PeriodicJob(name="notifications.retry", run=tasks.retry_undelivered, every_seconds=60)
        )
        # Frequent, so that the digest leaves soon after Monday 8 a.m.; the job itself knows
        # whether this week's is due.
        registry.add_periodic_job(
            PeriodicJob(name="notifications.digest", run=digest.digest_send, every_seconds=900)
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="notifications.weekly_summary",
                run=digest.weekly_summary_announce,
                every_seconds=900,
            )
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="notifications.environment_channels",
                run=announcements.environment_channels_sync,
                every_seconds=300,
            )
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="notifications.failing_channels",
                run=announcements.failing_channels_warn,
                every_seconds=900,
            )
        )
        registry.add_account_section(
            AccountSection(
                name="notifications.preferences",
                template="notifications/_account_notifications.html",
                build=lambda request: {
                    "preferences": services.preferences_for(request.user),
                    "is_animation_team": request.user.is_animation_team,
                },
                order=20,
            )
        )
        registry.add_personal_data(
            PersonalData(
                name="notifications",
                export=personal_data.export,
                erase=personal_data.erase,
                order=40,
                count=personal_data.count,
            )
        )
