from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GroupsConfig(AppConfig):
    name = "ruche.groups"
    label = "groups"
    verbose_name = _("Groupes de travail")

    def ready(self):
        from ruche.core.registry import DemoSeeder, registry
        from ruche.groups import demo

        registry.add_demo_seeder(DemoSeeder(name="groups", seed=demo.seed, order=25))
