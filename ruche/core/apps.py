from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ruche.core"
    label = "core"
    verbose_name = _("Socle")

    def ready(self):
        from ruche.core.registry import NavItem, registry

        registry.add_nav(NavItem(label=_("Accueil"), url_name="core:home", order=0))
