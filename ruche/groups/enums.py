from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    GROUP = "group", _("groupe de travail")
    CLUB = "club", _("club")


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("actif")
    PAUSED = "paused", _("en pause")
    CLOSED = "closed", _("clos")


class MembershipPolicy(models.TextChoices):
    OPEN = "open", _("ouvert à toutes et tous")
    ON_REQUEST = "on_request", _("sur demande")


class MembershipRole(models.TextChoices):
    LEAD = "lead", _("animation du groupe")
    MEMBER = "member", _("membre")
    OBSERVER = "observer", _("observateur·rice")


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("en attente")
    ACCEPTED = "accepted", _("acceptée")
    REFUSED = "refused", _("refusée")


class JoinOutcome(models.TextChoices):
    """What joining a group gave, as the API answers it."""

    MEMBER = "member", _("membre")
    REQUESTED = "requested", _("demande envoyée")
    OBSERVER = "observer", _("observateur·rice")


# The consent round: the options a proposal offers unless its author writes others.
CONSENT_OPTIONS = ["d’accord", "je m’abstiens", "pas d’accord", "objection bloquante"]
