import datetime
import functools
import uuid
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ruche.events.enums import EventKind, EventStatus, RsvpStatus, SpeakerStatus
from ruche.events.recurrence import Rule, parse_rule

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruche.members.models import Member


@functools.lru_cache(maxsize=1024)
def _stored_rule(rrule: str, dtstart: datetime.datetime) -> Rule:
    """A stored series' rule, read once per process: reading checks the rule by computing its
    dates (up to 250), which the API lists and the event pages would otherwise redo per event."""
    return parse_rule(rrule, start=dtstart)


@functools.lru_cache(maxsize=1024)
def _rule_in_words(rule: Rule, language: str | None) -> str:
    return rule.describe()


def new_uid() -> str:
    return f"{uuid.uuid4()}@ruche.beta.gouv.fr"


class EventSeries(models.Model):
    """A recurring event: the rule and the calendar identity shared by its occurrences. Each
    occurrence is an Event row (so RSVPs, slots and moves attach to one date)."""

    rrule = models.CharField(_("règle de répétition"), max_length=300)
    # The original start of the first occurrence: DTSTART of the series in calendars.
    dtstart = models.DateTimeField()
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("série d’événements")

    def __str__(self) -> str:
        return f"{self.rrule} ({self.dtstart:%Y-%m-%d})"

    def rule(self) -> Rule:
        return _stored_rule(self.rrule, self.dtstart)

    def describe(self) -> str:
        return _rule_in_words(self.rule(), get_language())


class EventQuerySet(models.QuerySet["Event"]):
    def scheduled(self) -> Self:
        return self.filter(status=EventStatus.SCHEDULED)

    def upcoming(self, now: datetime.datetime | None = None) -> Self:
        """Not over yet (an event under way still counts)."""
        return self.filter(end__gte=now or timezone.now())

    def past(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(end__lt=now or timezone.now())

    def public(self) -> Self:
        return self.filter(is_public=True)

    def visible_to(self, user: "Member | AnonymousUser | None") -> Self:
        if user is not None and user.is_authenticated:
            return self
        return self.public()

    def organised_by(self, member: "Member") -> Self:
        return self.filter(organisers=member)

    def matching(self, text: str, max_words: int = 10) -> Self:
        """Events whose title or description holds every word of `text` (case ignored)."""
        events = self
        for word in (text or "").split()[:max_words]:
            events = events.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return events

    def of_groups_of(self, member: "Member") -> Self:
        """Events of the working groups the member belongs to."""
        return self.filter(group__memberships__member=member)

    def involving(self, member: "Member") -> Self:
        """Events the member registered for (waiting list included) or organises."""
        registered = Rsvp.objects.filter(
            event=OuterRef("pk"),
            member=member,
            status__in=[RsvpStatus.CONFIRMED, RsvpStatus.WAITLISTED],
        )
        return self.filter(Q(Exists(registered)) | Q(organisers=member)).distinct()

    # Any: its rows carry `confirmed_count` and `waitlist_count`, which Event does not declare.
    def with_rsvp_counts(self) -> Any:
        """`confirmed_count` and `waitlist_count`. Correlated subqueries rather than a join:
        a page of 20 events then counts 20 events' registrations, not every event's."""

        def count(status):
            registrations = (
                Rsvp.objects.filter(event=OuterRef("pk"), status=status)
                .order_by()
                .values("event")
                .annotate(total=Count("pk"))
                .values("total")
            )
            return Coalesce(Subquery(registrations), 0)

        return self.annotate(
            confirmed_count=count(RsvpStatus.CONFIRMED),
            waitlist_count=count(RsvpStatus.WAITLISTED),
        )

    def with_rsvp_of(self, member):
        """`my_rsvp_status`: the member's registration status ("" if none or signed out)."""
        if member is None or not member.is_authenticated:
            return self.annotate(my_rsvp_status=models.Value(""))
        mine = Rsvp.objects.filter(event=OuterRef("pk"), member=member).exclude(
            status=RsvpStatus.CANCELLED
        )
        return self.annotate(
            my_rsvp_status=Coalesce(Subquery(mine.values("status")[:1]), models.Value(""))
        )


class Event(models.Model):
    title = models.CharField(_("titre"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=EventKind.choices)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    location = models.CharField(_("lieu"), max_length=300, blank=True)
    online_url = models.URLField(_("lien de visioconférence"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    incubator = models.ForeignKey(
        "members.Incubator",
        verbose_name=_("incubateur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    group = models.ForeignKey(
        "groups.WorkingGroup",
        verbose_name=_("groupe de travail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    cancellation_message = models.TextField(_("message d’annulation"), blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.PROTECT,
        related_name="created_events",
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("organisation"), related_name="organised_events"
    )
    # Calendar identity: UID never changes; SEQUENCE grows with every change a calendar must
    # show (time, place, title, cancellation).
    uid = models.CharField(max_length=100, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    series = models.ForeignKey(
        EventSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences"
    )
    # For an occurrence: its start as the rule gives it (RECURRENCE-ID), even once moved.
    recurrence_id = models.DateTimeField(null=True, blank=True)
    # Hands out waiting-list order; only ever changed while the event row is locked.
    queue_counter = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("événement")
        indexes = [
            models.Index(fields=["start"]),
            models.Index(fields=["end"]),
            models.Index(fields=["is_public", "start"]),
            models.Index(fields=["created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="event_capacity_at_least_one",
            ),
            models.UniqueConstraint(
                fields=["series", "recurrence_id"], name="event_one_row_per_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event-detail", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    def has_started(self, now=None) -> bool:
        return self.start <= (now or timezone.now())

    def is_over(self, now=None) -> bool:
        return self.end < (now or timezone.now())

    @property
    def is_moved(self) -> bool:
        return self.recurrence_id is not None and self.recurrence_id != self.start


class RsvpQuerySet(models.QuerySet["Rsvp"]):
    def active(self) -> Self:
        return self.exclude(status=RsvpStatus.CANCELLED)


class Rsvp(models.Model):
    """A member's registration to one event. One row per (event, member): cancelling and
    registering again reuse it, so a double submission cannot create a second one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps"
    )
    status = models.CharField(max_length=10, choices=RsvpStatus.choices)
    # Order of arrival within the event, taken from Event.queue_counter: the waiting list is
    # the waitlisted rows in this order.
    queue_number = models.PositiveIntegerField()
    registered_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = RsvpQuerySet.as_manager()

    class Meta:
        ordering = ["queue_number"]
        verbose_name = _("inscription")
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="rsvp_once_per_member"),
            models.UniqueConstraint(fields=["event", "queue_number"], name="rsvp_queue_unique"),
        ]
        indexes = [
            models.Index(fields=["event", "status", "queue_number"]),
            models.Index(fields=["member", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.event} ({self.status})"

    @property
    def position(self) -> int | None:
        """Place on the waiting list (1 = next in), None when not waitlisted."""
        if self.status != RsvpStatus.WAITLISTED:
            return None
        return Rsvp.objects.filter(
            event_id=self.event_id,
            status=RsvpStatus.WAITLISTED,
            queue_number__lte=self.queue_number,
        ).count()


class ShiftQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(start__gte=now or timezone.now(), event__status=EventStatus.SCHEDULED)

    def with_taken(self):
        return self.annotate(taken=Count("signups", distinct=True))

    def with_signup_of(self, member):
        """`mine`: whether the member holds a place on the slot."""
        if member is None or not member.is_authenticated:
            return self.annotate(mine=models.Value(False))
        return self.annotate(
            mine=Exists(ShiftSignup.objects.filter(shift=OuterRef("pk"), member=member))
        )

    def with_free_places(self):
        return self.with_taken().filter(taken__lt=F("capacity"))


class Shift(models.Model):
    """A volunteer slot on one event: « préparer le café », 2 personnes, 8 h 45 – 9 h 15."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    label = models.CharField(_("tâche"), max_length=150)
    capacity = models.PositiveSmallIntegerField(_("nombre de personnes"), default=1)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    created_at = models.DateTimeField(default=timezone.now)

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("créneau bénévole")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="shift_capacity_positive"),
        ]
        indexes = [models.Index(fields=["start"])]

    def __str__(self) -> str:
        return f"{self.label} — {self.event}"


class ShiftSignup(models.Model):
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Set while the member offers their place to someone else.
    swap_offered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("inscription à un créneau")
        constraints = [
            models.UniqueConstraint(fields=["shift", "member"], name="shift_signup_once"),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.shift}"


class Speaker(models.Model):
    """Someone invited to speak, possibly from outside the community. They answer through a
    private link (only its hash is stored), without signing in."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("adresse e-mail"))
    bio = models.TextField(_("présentation"), blank=True)
    talk_title = models.CharField(_("titre de l’intervention"), max_length=200, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talks",
    )
    status = models.CharField(
        max_length=10, choices=SpeakerStatus.choices, default=SpeakerStatus.INVITED
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("intervenant·e")
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="speaker_once_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.event}"


class EventPreferences(models.Model):
    """A member's agenda settings: reminders, and the secret of their personal calendar feed
    (only its hash is kept; a new link revokes the old one)."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_preferences"
    )
    reminders = models.BooleanField(_("recevoir un rappel la veille"), default=True)
    feed_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    feed_created_at = models.DateTimeField(null=True, blank=True)
    feed_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("préférences d’agenda")

    def __str__(self) -> str:
        return str(self.member)
