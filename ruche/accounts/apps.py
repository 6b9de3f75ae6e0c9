from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ruche.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from ruche.accounts import services
        from ruche.core.registry import PeriodicJob, registry

        registry.add_periodic_job(
            PeriodicJob(
                name="accounts.purge_magic_links",
                run=services.magic_links_purge,
                every_seconds=60 * 60 * 6,
            )
        )
