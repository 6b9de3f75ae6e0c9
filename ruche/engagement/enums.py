from django.db import models
from django.utils.translation import gettext_lazy as _


class ContributionKind(models.TextChoices):
    PROPOSED = "proposed", _("a proposé")
    LED = "led", _("porte")
    CO_LED = "co_led", _("co-porte")
    JOINED = "joined", _("a rejoint")
    SUPPORTED = "supported", _("soutient")
    COMMENTED = "commented", _("a commenté")
    UPDATED = "updated", _("a publié un point d’étape")
    STATUS_CHANGED = "status_changed", _("a changé le statut")
    RAISED_NEED = "raised_need", _("a soulevé un besoin")
    NEED_SUPPORTED = "need_supported", _("rencontre aussi ce besoin")
    REGISTERED = "registered", _("s’est inscrit·e")
    ATTENDED = "attended", _("a participé")
    ORGANISED = "organised", _("a organisé")
    SPOKE = "spoke", _("est intervenu·e")
    VOLUNTEERED = "volunteered", _("s’est porté·e volontaire")
    DECIDED = "decided", _("a décidé")
    THANKED = "thanked", _("a remercié")


class SubjectType(models.TextChoices):
    INITIATIVE = "initiative", _("initiative")
    NEED = "need", _("besoin")
    EVENT = "event", _("événement")
    SHIFT = "shift", _("créneau")
    GROUP = "group", _("groupe")
