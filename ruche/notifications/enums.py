from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """What a notification is about; each member chooses, per category, how they hear of it.
    `account` is for what cannot be switched off (a sign-in link, a word from moderation)."""

    INITIATIVES = "initiatives", _("Mes initiatives et besoins")
    EVENTS = "events", _("Les événements où je suis inscrit·e")
    ROTA = "rota", _("Les créneaux bénévoles")
    GROUPS = "groups", _("Mes groupes")
    MENTIONS = "mentions", _("Mentions et remerciements")
    CALLS = "calls", _("Les appels à l’aide qui me correspondent")
    NEWS = "news", _("L’actualité de la communauté")
    ACCOUNT = "account", _("Mon compte")


class Mode(models.TextChoices):
    EMAIL = "email", _("Par e-mail, tout de suite")
    DIGEST = "digest", _("Dans le récapitulatif")
    IN_APP = "in_app", _("Seulement dans Ruche")
    OFF = "off", _("Jamais")


# Direct matters reach the member right away; what is not urgent waits for the digest.
DEFAULT_MODES: dict[str, Mode] = {
    Category.INITIATIVES: Mode.EMAIL,
    Category.EVENTS: Mode.EMAIL,
    Category.ROTA: Mode.EMAIL,
    Category.GROUPS: Mode.DIGEST,
    Category.MENTIONS: Mode.EMAIL,
    Category.CALLS: Mode.DIGEST,
    Category.NEWS: Mode.DIGEST,
    Category.ACCOUNT: Mode.EMAIL,
}
# The categories a member may choose for (account is not one of them).
CHOOSABLE = [category for category in Category if category != Category.ACCOUNT]


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Chaque semaine")
    FORTNIGHTLY = "fortnightly", _("Toutes les deux semaines")
    OFF = "off", _("Jamais")


class Transport(models.TextChoices):
    EMAIL = "email", _("E-mail")
    MATRIX = "matrix", _("Salon Matrix (Tchap)")
    WEBHOOK = "webhook", _("Webhook entrant (Mattermost, Slack…)")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENDING = "sending", _("en cours d’envoi")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")
    CANCELLED = "cancelled", _("plus rien à envoyer")


class Topic(models.TextChoices):
    """What a chat channel may announce."""

    NEW_INITIATIVE = "new_initiative", _("Nouvelle initiative")
    CALL_FOR_HELP = "call_for_help", _("Appel à l’aide")
    NEW_PUBLIC_EVENT = "new_public_event", _("Nouvel événement public")
    EVENT_TOMORROW = "event_tomorrow", _("Événement demain avec des places libres")
    GROUP_DECISION = "group_decision", _("Décision d’un groupe")
    WEEKLY_SUMMARY = "weekly_summary", _("Récapitulatif de la semaine")


class Scope(models.TextChoices):
    COMMUNITY = "community", _("Toute la communauté")
    INCUBATOR = "incubator", _("Un incubateur")
    GROUP = "group", _("Un groupe")
