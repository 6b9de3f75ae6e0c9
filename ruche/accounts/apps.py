from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ruche.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self):
        from ruche.accounts import personal_data, services
        from ruche.core.registry import PeriodicJob, PersonalData, registry

        registry.add_periodic_job(
            PeriodicJob(
                name="accounts.purge_magic_links",
                run=services.magic_links_purge,
                every_seconds=60 * 60 * 6,
            )
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="accounts.purge_data_exports",
                run=personal_data.data_exports_purge,
                every_seconds=60 * 60,
            )
        )
        registry.add_periodic_job(
            PeriodicJob(
                name="accounts.purge_inactive_members",
                run=personal_data.inactive_members_purge,
                every_seconds=60 * 60 * 24,
            )
        )
        registry.add_personal_data(
            PersonalData(
                name="account",
                export=personal_data.account_export,
                erase=personal_data.account_erase,
                order=20,
            )
        )
