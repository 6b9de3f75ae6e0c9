"""Working groups and clubs: members who meet over time on one subject (gender equality,
welcoming newcomers, relations between incubators…) or share a trade (designers, developers…).
A group has a mandate, leads, members and observers, a review date, and decides together:
proposals that members answer, and a log of the decisions taken."""

import datetime
from typing import TYPE_CHECKING, Any, Self

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.core.text import fold
from ruche.groups.enums import (
    CONSENT_OPTIONS,
    GroupKind,
    GroupStatus,
    JoinRequestStatus,
    MembershipPolicy,
    MembershipRole,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruche.members.models import Member

NAME_MAX_LENGTH = 200
REVIEW_AFTER = relativedelta(months=12)
# Leads hear of the review date this long before it.
REVIEW_NOTICE = datetime.timedelta(days=30)
COMMITTED_ROLES = (MembershipRole.LEAD, MembershipRole.MEMBER)


def name_key_of(name: str) -> str:
    """A group's name without case, accents or doubled spaces: what tells two names apart."""
    return fold(" ".join(name.split()))


def default_review_on() -> datetime.date:
    return timezone.localdate() + REVIEW_AFTER


class WorkingGroupQuerySet(models.QuerySet["WorkingGroup"]):
    def active(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def of_member(self, member: "Member | AnonymousUser | None") -> Self:
        """The groups the member belongs to (none when signed out)."""
        if member is None or not member.is_authenticated:
            return self.none()
        return self.filter(memberships__member=member)

    def to_review(self, today: datetime.date | None = None) -> Self:
        """Open groups whose review date has passed."""
        today = today or timezone.localdate()
        return self.exclude(status=GroupStatus.CLOSED).filter(review_on__lt=today)

    def with_counts(self) -> Self:
        """Committed members and observers of each group: one small subquery each, read through
        the membership's group index (joining memberships to the group multiplies the rows by
        whatever else is joined, events for the cards)."""
        return self.annotate(
            member_count=_membership_count(Q(role__in=COMMITTED_ROLES)),
            observer_count=_membership_count(Q(role=MembershipRole.OBSERVER)),
        )


def _membership_count(where: Q) -> Coalesce:
    counted = (
        Membership.objects.filter(where, group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)


class WorkingGroup(models.Model):
    name = models.CharField(_("nom"), max_length=NAME_MAX_LENGTH)
    # The name without case or accents: two groups may not be told apart by those alone (and
    # SQLite's lower() knows no accents).
    name_key = models.CharField(max_length=NAME_MAX_LENGTH, unique=True, editable=False)
    slug = models.SlugField(_("adresse"), max_length=80, unique=True)
    kind = models.CharField(
        _("type"), max_length=10, choices=GroupKind.choices, default=GroupKind.GROUP
    )
    description = models.TextField(_("en bref"), blank=True)
    mandate = models.TextField(_("mandat"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    closing_note = models.TextField(_("note de clôture"), blank=True)
    membership = models.CharField(
        _("adhésion"),
        max_length=12,
        choices=MembershipPolicy.choices,
        default=MembershipPolicy.OPEN,
    )
    pad_url = models.URLField(_("pad"), max_length=500, blank=True)
    documents_url = models.URLField(_("documents"), max_length=500, blank=True)
    chat_url = models.URLField(_("salon de discussion"), max_length=500, blank=True)
    review_on = models.DateField(_("à revoir le"), default=default_review_on)
    # The review date the leads were last told about (the periodic job tells them once).
    review_told_for = models.DateField(null=True, blank=True, editable=False)
    incubator = models.ForeignKey(
        "members.Incubator",
        verbose_name=_("incubateur"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_groups",
    )
    # The initiative of kind « groupe de travail » this group was created from.
    initiative = models.OneToOneField(
        "initiatives.Initiative",
        verbose_name=_("initiative d’origine"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_group",
    )
    needs = models.ManyToManyField(
        "initiatives.Need", verbose_name=_("besoins"), blank=True, related_name="working_groups"
    )
    initiatives = models.ManyToManyField(
        "initiatives.Initiative",
        verbose_name=_("initiatives liées"),
        blank=True,
        related_name="linked_working_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        verbose_name=_("membres"),
        related_name="working_groups",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("créé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("groupe de travail")
        verbose_name_plural = _("groupes de travail")
        indexes = [models.Index(fields=["status", "review_on"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = name_key_of(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("groups:group-detail", args=[self.slug])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status == GroupStatus.CLOSED

    def needs_review(self, today: datetime.date | None = None) -> bool:
        return not self.is_closed and self.review_on < (today or timezone.localdate())

    def role_of(self, member) -> str | None:
        if not getattr(member, "is_authenticated", False):
            return None
        cached = getattr(self, "_prefetched_objects_cache", {}).get("memberships")
        if cached is not None:
            return next((m.role for m in cached if m.member_id == member.pk), None)
        return self.memberships.filter(member=member).values_list("role", flat=True).first()

    def is_led_by(self, member) -> bool:
        return self.role_of(member) == MembershipRole.LEAD

    def is_member(self, member) -> bool:
        """Leads and members (not observers): who answers proposals."""
        return self.role_of(member) in COMMITTED_ROLES


class Membership(models.Model):
    group = models.ForeignKey(
        WorkingGroup,
        verbose_name=_("groupe"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membre"),
        on_delete=models.CASCADE,
        related_name="group_memberships",
    )
    role = models.CharField(
        _("rôle"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("depuis le"), default=timezone.now)

    class Meta:
        verbose_name = _("appartenance à un groupe")
        verbose_name_plural = _("appartenances aux groupes")
        constraints = [
            models.UniqueConstraint(fields=["group", "member"], name="membership_once_per_group")
        ]
        indexes = [models.Index(fields=["member", "group"])]

    def __str__(self) -> str:
        return f"{self.member} · {self.group}"


class JoinRequest(models.Model):
    """A member asks to join a group whose membership is on request; a lead answers."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="join_requests")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_join_requests"
    )
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("état"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    answer = models.TextField(_("réponse"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.group}"


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def open(self, today: datetime.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.filter(closed_at__isnull=True, closes_on__gte=today)


class Proposal(models.Model):
    """A question put to the group's members; by default, a consent round."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    question = models.CharField(_("question"), max_length=300)
    context = models.TextField(_("contexte"), blank=True)
    options = models.JSONField(_("options"), default=list)
    # Members answer until the end of this day.
    closes_on = models.DateField(_("clôture le"))
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When the « closing tomorrow » reminder went out (the periodic job sends it once).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "closes_on"])]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("groups:proposal-detail", args=[self.group.slug, self.pk])

    @property
    def is_consent_round(self) -> bool:
        return self.options == CONSENT_OPTIONS

    def is_open(self, today: datetime.date | None = None) -> bool:
        return self.closed_at is None and self.closes_on >= (today or timezone.localdate())


class Answer(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_answers"
    )
    option = models.CharField(_("réponse"), max_length=100)
    reason = models.TextField(_("raison"), blank=True)
    answered_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="one_answer_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} : {self.option}"


class Decision(models.Model):
    """A dated entry of a group's decision log: from a closed proposal, or taken elsewhere (a
    meeting) and written down by a lead."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(_("ce qui est décidé"), max_length=300)
    rationale = models.TextField(_("pourquoi"), blank=True)
    decided_on = models.DateField(_("décidé le"))
    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
    )
    # {option: count} of the proposal's answers when it closed.
    counts = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        indexes = [models.Index(fields=["group", "decided_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"{self.group.get_absolute_url()}#decision-{self.pk}"
