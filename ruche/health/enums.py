from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Mois")
    QUARTER = "quarter", _("Trimestre")
    YEAR = "year", _("Année")
    CUSTOM = "custom", _("Période choisie")


class SegmentKind(models.TextChoices):
    ALL = "all", _("Toute la communauté")
    INCUBATOR = "incubator", _("Incubateur")
    DOMAINE = "domaine", _("Domaine")
    SENIORITY = "seniority", _("Ancienneté")


class SeniorityBand(models.TextChoices):
    """How long ago a member's first mission started, at the end of the period."""

    UNDER_6_MONTHS = "0-6m", _("Moins de 6 mois")
    UNDER_2_YEARS = "6m-2a", _("De 6 mois à 2 ans")
    UNDER_5_YEARS = "2a-5a", _("De 2 à 5 ans")
    OVER_5_YEARS = "5a+", _("Plus de 5 ans")


class HealthState(models.TextChoices):
    GOOD = "bon", _("Bon")
    WATCH = "a_surveiller", _("À surveiller")
    ALERT = "alerte", _("Alerte")


class Unit(models.TextChoices):
    """What a figure counts, so that clients format it right."""

    COUNT = "count", _("nombre")
    RATIO = "ratio", _("part (de 0 à 1)")
    DAYS = "days", _("jours")
    PEOPLE = "people", _("personnes")


class MetricKey(models.TextChoices):
    PARTICIPATION = "participation", _("Participation")
    NEWCOMERS = "newcomers", _("Nouvelles arrivées")
    CONCENTRATION = "concentration", _("Concentration")
    TRANSVERSE_LOAD = "transverse_load", _("Charge des rôles transverses")
    COHESION = "cohesion", _("Cohésion")
    FIT = "fit", _("Réponse aux besoins")
    IDENTITY = "identity", _("Vie de toute la communauté")
