from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ruche.notifications.crypto import decrypt, encrypt
from ruche.notifications.enums import (
    Category,
    DeliveryStatus,
    DigestFrequency,
    Mode,
    Scope,
    Topic,
    Transport,
)
from ruche.notifications.registry import get_kind


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
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.ACCOUNT)
    context = models.JSONField(default=dict)
    subject = models.CharField(max_length=300)
    url = models.CharField(max_length=500, blank=True)
    in_app = models.BooleanField(default=True)
    # The member chose the digest for this category: the next digest tells it (unless they
    # read it first), and sets `digested_at`.
    for_digest = models.BooleanField(default=False)
    digested_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["member", "in_app", "read_at"]),
            models.Index(fields=["member", "in_app", "category"]),
            models.Index(
                fields=["member"],
                condition=Q(for_digest=True, digested_at__isnull=True),
                name="notification_awaits_digest",
            ),
        ]

    def __str__(self) -> str:
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
    digest_frequency = models.CharField(
        _("récapitulatif"),
        max_length=12,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )

    class Meta:
        verbose_name = _("préférences de notification")

    def __str__(self) -> str:
        return str(self.member)


class CategoryPreference(models.Model):
    """A member's choice for one category; without a row, the category's default holds."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="category_preferences"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    mode = models.CharField(max_length=10, choices=Mode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "category"], name="one_choice_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.category}: {self.mode}"


class DigestDelivery(models.Model):
    """The digest of one member is done: sent (`notification`), or there was nothing to tell
    them. The constraint makes a second run, or a second worker, send nothing more."""

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

    def __str__(self) -> str:
        return f"{self.member} — {self.week}"


class Channel(models.Model):
    """A chat room the animation team keeps: a Matrix room (Tchap) or an incoming webhook
    (Mattermost, Slack…), with what it announces and for whom. Its secret (the Matrix access
    token, or the webhook URL, which is one) is stored encrypted; a channel made from the
    environment reads it from there."""

    name = models.CharField(_("nom"), max_length=120)
    transport = models.CharField(
        _("type de salon"),
        max_length=10,
        choices=[(t.value, t.label) for t in Transport if t != Transport.EMAIL],
    )
    homeserver_url = models.URLField(_("adresse du serveur Matrix"), blank=True)
    room_id = models.CharField(_("identifiant du salon"), max_length=255, blank=True)
    secret_encrypted = models.TextField(blank=True)
    # Made from MATRIX_* or CHAT_WEBHOOK_URL: its address and secret come from there.
    from_environment = models.BooleanField(default=False)
    topics = models.JSONField(_("ce que le salon annonce"), default=list)
    scope = models.CharField(
        _("pour qui"), max_length=10, choices=Scope.choices, default=Scope.COMMUNITY
    )
    incubator = models.ForeignKey(
        "members.Incubator",
        verbose_name=_("incubateur"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # A working group (the groups app sits above this one: an id, not a foreign key).
    group_id = models.PositiveBigIntegerField(_("groupe"), null=True, blank=True)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Since when every delivery has failed (None while the last one went through), and when
    # the animation team was told.
    failing_since = models.DateTimeField(null=True, blank=True)
    failure_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("salon de discussion")
        constraints = [
            models.UniqueConstraint(
                fields=["transport"],
                condition=Q(from_environment=True),
                name="one_environment_channel_per_transport",
            ),
            models.CheckConstraint(
                condition=Q(scope=Scope.COMMUNITY)
                | Q(scope=Scope.INCUBATOR, incubator__isnull=False)
                | Q(scope=Scope.GROUP, group_id__isnull=False),
                name="channel_scope_names_its_place",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("notifications:channel-detail", args=[self.pk])

    def matrix_credentials(self) -> tuple[str, str, str]:
        """(homeserver URL, room id, access token)."""
        if self.from_environment:
            return (
                settings.MATRIX_HOMESERVER_URL,
                settings.MATRIX_ROOM_ID,
                settings.MATRIX_ACCESS_TOKEN,
            )
        return self.homeserver_url, self.room_id, decrypt(self.secret_encrypted)

    def webhook_url(self) -> str:
        return (
            settings.CHAT_WEBHOOK_URL if self.from_environment else decrypt(self.secret_encrypted)
        )

    def set_secret(self, value: str) -> None:
        self.secret_encrypted = encrypt(value)


class Announcement(models.Model):
    """What the chat is told, written in the transaction of the change that caused it; each
    channel that announces its topic for its scope gets a delivery. `key`, when given, makes
    a second announcement of the same thing (a periodic job run twice) a no-op."""

    topic = models.CharField(max_length=30, choices=Topic.choices)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    text = models.TextField()
    markdown = models.TextField()
    html = models.TextField()
    incubator = models.ForeignKey(
        "members.Incubator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    group_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:80]


class DeliveryQuerySet(models.QuerySet):
    def failed(self):
        return self.filter(status=DeliveryStatus.FAILED)


class Delivery(models.Model):
    """One message on one channel: a notification's e-mail, or an announcement in one chat
    room. Claimed by one worker at a time with a conditional update; retried with backoff;
    its id makes the Matrix transaction id, so a retry never posts twice."""

    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    announcement = models.ForeignKey(
        Announcement, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    transport = models.CharField(max_length=10, choices=Transport.choices)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["channel", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(notification__isnull=False, announcement__isnull=True)
                | Q(notification__isnull=True, announcement__isnull=False, channel__isnull=False),
                name="delivery_of_one_message",
            ),
            models.UniqueConstraint(
                fields=["notification", "transport"],
                condition=Q(notification__isnull=False),
                name="one_delivery_per_notification_and_transport",
            ),
            models.UniqueConstraint(
                fields=["announcement", "channel"],
                condition=Q(announcement__isnull=False),
                name="one_delivery_per_announcement_and_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transport} #{self.pk} ({self.status})"

    @property
    def key(self) -> str:
        """Unique to this delivery and stable across retries (the Matrix txnId). The creation
        time is part of it: an id can come back (rows rolled back, a database restored) and the
        homeserver would take the new message for the old one."""
        return f"ruche-{self.pk}-{self.created_at:%Y%m%d%H%M%S%f}"
