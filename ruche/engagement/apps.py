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
