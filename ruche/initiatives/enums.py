from django.db import models
from django.utils.translation import gettext_lazy as _


class InitiativeKind(models.TextChoices):
    EVENT = "event", _("Événement")
    PROCESS = "process", _("Processus")
    TOOL = "tool", _("Outil")
    WORKING_GROUP = "working_group", _("Groupe de travail")
    OTHER = "other", _("Autre")


class InitiativeStatus(models.TextChoices):
    IDEA = "idea", _("Idée")
    LOOKING_FOR_HELP = "looking_for_help", _("Recherche de contributeurs")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    PAUSED = "paused", _("En pause")
    DROPPED = "dropped", _("Abandonnée")


# A status change to one of these must say why.
STATUSES_NEEDING_A_REASON = {InitiativeStatus.PAUSED, InitiativeStatus.DROPPED}
# Statuses an initiative cannot reach while its budget request waits or was refused.
STATUSES_NEEDING_A_BUDGET_DECISION = {InitiativeStatus.IN_PROGRESS, InitiativeStatus.DONE}
# Where joining still makes sense.
OPEN_STATUSES = {
    InitiativeStatus.IDEA,
    InitiativeStatus.LOOKING_FOR_HELP,
    InitiativeStatus.IN_PROGRESS,
}


class Scope(models.TextChoices):
    COMMUNITY = "community", _("Toute la communauté")
    INCUBATOR = "incubator", _("Un incubateur")
    STARTUP = "startup", _("Une startup")


class LeadRole(models.TextChoices):
    PROPOSER = "proposer", _("Porteur·se")
    CO_LEAD = "co_lead", _("Co-porteur·se")


class NeedState(models.TextChoices):
    OPEN = "open", _("Ouvert")
    BEING_ADDRESSED = "being_addressed", _("En cours de traitement")
    ADDRESSED = "addressed", _("Traité")
    CLOSED = "closed", _("Clos sans suite")


class BudgetStatus(models.TextChoices):
    """Shown next to the amount (« 80 € — accordé »): the words agree with « budget »."""

    PENDING = "pending", _("En attente de décision")
    APPROVED = "approved", _("Accordé")
    REFUSED = "refused", _("Refusé")
    WITHDRAWN = "withdrawn", _("Retiré")


class ReportTarget(models.TextChoices):
    INITIATIVE = "initiative", _("initiative")
    NEED = "need", _("besoin")
    COMMENT = "comment", _("commentaire")


class ModerationActionKind(models.TextChoices):
    """The audit log's namespaced actions (`<what>.<done>`)."""

    INITIATIVE_HIDDEN = "initiative.hidden", _("Initiative masquée")
    INITIATIVE_RESTORED = "initiative.restored", _("Initiative rétablie")
    NEED_HIDDEN = "need.hidden", _("Besoin masqué")
    NEED_RESTORED = "need.restored", _("Besoin rétabli")
    COMMENT_HIDDEN = "comment.hidden", _("Commentaire masqué")
    COMMENT_RESTORED = "comment.restored", _("Commentaire rétabli")
    BUDGET_APPROVED = "budget.approved", _("Budget accordé")
    BUDGET_REFUSED = "budget.refused", _("Budget refusé")
    REPORT_DISMISSED = "report.dismissed", _("Signalement classé sans suite")


class InitiativeSort(models.TextChoices):
    RECENT = "recent", _("Les plus récentes")
    SUPPORTED = "supported", _("Les plus soutenues")
    HELP_NEEDED = "help_needed", _("Celles qui cherchent le plus de monde")
    RELEVANCE = "relevance", _("Pertinence de la recherche")


class NeedSort(models.TextChoices):
    SUPPORTED = "supported", _("Les plus partagés (« moi aussi »)")
    RECENT = "recent", _("Les plus récents")
    RELEVANCE = "relevance", _("Pertinence de la recherche")
