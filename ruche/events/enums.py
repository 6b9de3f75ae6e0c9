from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    APERO = "apero", _("Apéro")
    CAFE = "cafe", _("Café")
    TALK = "talk", _("Conférence")
    WORKSHOP = "workshop", _("Atelier")
    DEMO = "demo", _("Démo")
    FORUM = "forum", _("Forum")
    GROUP_MEETING = "group_meeting", _("Réunion de groupe")
    OTHER = "other", _("Autre")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Prévu")
    CANCELLED = "cancelled", _("Annulé")


class RsvpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Inscrit·e")
    WAITLISTED = "waitlisted", _("En liste d’attente")
    CANCELLED = "cancelled", _("Désinscrit·e")


class SpeakerStatus(models.TextChoices):
    INVITED = "invited", _("Invité·e, sans réponse")
    CONFIRMED = "confirmed", _("A confirmé")
    DECLINED = "declined", _("A décliné")


class Repeat(models.TextChoices):
    """The repetitions the event form offers; the API takes any supported RRULE text."""

    NONE = "", _("Ne se répète pas")
    WEEKLY = "weekly", _("Toutes les semaines")
    BIWEEKLY = "biweekly", _("Toutes les deux semaines")
    MONTHLY = "monthly", _("Tous les mois, le même jour de la semaine")
