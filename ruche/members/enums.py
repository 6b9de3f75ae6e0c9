from django.db import models
from django.utils.translation import gettext_lazy as _


class Domaine(models.TextChoices):
    PRODUIT = "produit", _("Produit")
    DEVELOPPEMENT = "developpement", _("Développement")
    DESIGN = "design", _("Design")
    COACHING = "coaching", _("Coaching")
    DEPLOIEMENT = "deploiement", _("Déploiement")
    DATA = "data", _("Data")
    INTRAPRENARIAT = "intraprenariat", _("Intraprenariat")
    ANIMATION = "animation", _("Animation")
    SUPPORT = "support", _("Support")
    ATTRIBUTAIRE = "attributaire", _("Attributaire")
    AUTRE = "autre", _("Autre")


class HistoryVisibility(models.TextChoices):
    """Who sees a member's engagement history on their profile."""

    MEMBERS = "members", _("Les membres de la communauté")
    ONLY_ME = "only_me", _("Moi seul·e")


class MissionStatus(models.TextChoices):
    ADMIN = "admin", _("Agent·e public·que")
    INDEPENDENT = "independent", _("Indépendant·e")
    SERVICE = "service", _("Prestataire de service")


# The phases of a startup in beta.gouv's data (the value is kept as imported).
STARTUP_PHASES = {
    "investigation": _("Investigation"),
    "construction": _("Construction"),
    "acceleration": _("Accélération"),
    "consolidation": _("Consolidation"),
    "transfere": _("Transférée"),
    "opere": _("Opérée"),
    "abandon": _("Arrêtée"),
    "abandon-investigation": _("Arrêtée après l’investigation"),
}
