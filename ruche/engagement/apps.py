from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "ruche.engagement"
    label = "engagement"
    verbose_name = _("Engagement")

    def ready(self):
        from ruche.core.registry import PersonalData, registry
        from ruche.engagement import personal_data

        registry.add_personal_data(
            PersonalData(
                name="engagement",
                export=personal_data.export,
                erase=personal_data.erase,
                order=30,
                count=personal_data.count,
            )
        )
        registry.add_personal_data(
            PersonalData(
                name="thanks",
                export=personal_data.thanks_export,
                erase=personal_data.thanks_erase,
                order=31,
                count=personal_data.thanks_count,
            )
        )
        registry.add_personal_data(
            PersonalData(
                name="declared_time",
                export=personal_data.time_export,
                erase=personal_data.time_erase,
                order=32,
                count=personal_data.time_count,
            )
        )
