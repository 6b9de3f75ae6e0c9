from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ruche.notifications.registry import get_kind


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENDING = "sending", _("en cours d’envoi")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("échec")
    NONE = "none", _("pas d’e-mail")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def in_app(self):
        return self.filter(in_app=True)


class Notification(models.Model):
    # Empty for a message to someone who is not a member (an invited speaker), e-mailed only to
    # `email`.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(blank=True)
    name = models.CharField(max_length=150, blank=True)
    kind = models.CharField(max_length=100)
    context = models.JSONField(default=dict)
    subject = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    in_app = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.TextField(blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "in_app", "read_at"]),
            models.Index(fields=["email_status", "created_at"]),
        ]

    def __str__(self):
        return self.subject

    @property
    def display_subject(self) -> str:
        """The subject in the reader's language while its kind is declared (the stored one was
        written in the site's language at creation); the values inside stay as they were."""
        try:
            return str(get_kind(self.kind).subject).format(**self.context)
        except (LookupError, KeyError, IndexError, ValueError):
            return self.subject


class NotificationPreferences(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    digest = models.BooleanField(_("recevoir le récapitulatif de la semaine"), default=True)

    class Meta:
        verbose_name = _("préférences de notification")

    def __str__(self):
        return str(self.member)


class DigestDelivery(models.Model):
    """The weekly digest of one member is done: sent (`notification`), or there was nothing to
    tell them. The constraint makes a second run, or a second worker, send nothing more."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    # The Monday of the week, in Paris.
    week = models.DateField()
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "week"], name="digest_once_a_week"),
        ]

    def __str__(self):
        return f"{self.member} — {self.week}"
