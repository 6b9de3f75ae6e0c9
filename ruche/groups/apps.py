from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "ruche.groups"
    label = "groups"
    verbose_name = _("Groupes de travail")

    def ready(self):
        from ruche.core.registry import PersonalData, registry
        from ruche.groups import personal_data

        registry.add_personal_data(
            PersonalData(
                name="groups",
                export=personal_data.export,
                erase=personal_data.erase,
                order=70,
            )
        )
