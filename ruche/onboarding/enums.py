from django.db import models
from django.utils.translation import gettext_lazy as _


class SuggestionKind(models.TextChoices):
    ROLE = "role", _("rôle recherché")
    INITIATIVE = "initiative", _("initiative")
    GROUP = "group", _("groupe")
    EVENT = "event", _("événement")
    SHIFT = "shift", _("créneau bénévole")
    NEED = "need", _("besoin")


class SuggestionAction(models.TextChoices):
    """What the one-click button of a suggestion does."""

    JOIN_ROLE = "join_role", _("Je prends ce rôle")
    JOIN_INITIATIVE = "join_initiative", _("Je rejoins")
    JOIN_GROUP = "join_group", _("Je rejoins le groupe")
    REGISTER = "register", _("Je m’inscris")
    TAKE_SLOT = "take_slot", _("Je prends ce créneau")
    PROPOSE = "propose", _("Je propose une initiative")


class FirstStep(models.TextChoices):
    EVENT = "event", _("Venir à un événement")
    CLUB = "club", _("Suivre un club de votre domaine")
    SLOT = "slot", _("Prendre un créneau bénévole")
    NEED = "need", _("Dire ce que vous aimeriez améliorer")
    COMPETENCES = "competences", _("Indiquer vos compétences sur votre profil")
