from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ruche.initiatives.enums import (
    OPEN_STATUSES,
    BudgetStatus,
    InitiativeKind,
    InitiativeStatus,
    LeadRole,
    ModerationActionKind,
    NeedState,
    ReportTarget,
    Scope,
)
from ruche.members.enums import Domaine

if TYPE_CHECKING:
    from ruche.members.models import Member

TITLE_MAX_LENGTH = 200


def _per_initiative(queryset, value, field="initiative"):
    """A correlated subquery giving one aggregate per outer row (0 when there is none), so
    list pages annotate counts without a query per row."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(value=value)
            .values("value")[:1],
            output_field=models.IntegerField(),
        ),
        0,
    )


class NeedQuerySet(models.QuerySet["Need"]):
    def visible(self) -> Self:
        return self.filter(hidden=False)

    def unresolved(self) -> Self:
        return self.filter(state__in=[NeedState.OPEN, NeedState.BEING_ADDRESSED])

    def with_counts(self):
        return self.annotate(
            support_count=_per_initiative(NeedSupport.objects.all(), Count("pk"), field="need"),
            initiative_count=_per_initiative(
                Initiative.needs.through.objects.filter(initiative__hidden=False),
                Count("pk"),
                field="need",
            ),
        )


class Need(models.Model):
    """A problem members meet in community life."""

    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    description = models.TextField(_("description"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("soulevé par"), null=True,
        on_delete=models.SET_NULL, related_name="needs_raised",
    )  # fmt: skip
    incubator = models.ForeignKey(
        "members.Incubator", verbose_name=_("incubateur"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="needs",
    )  # fmt: skip
    domaine = models.CharField(_("domaine"), max_length=20, choices=Domaine.choices, blank=True)
    # Members see who raised a need, unless that person asked to stay anonymous.
    anonymous = models.BooleanField(_("anonyme"), default=False)
    # Derived from the linked initiatives and closed_at; services recompute it whenever one of
    # them changes, so that lists filter on a column.
    state = models.CharField(
        _("état"), max_length=20, choices=NeedState.choices, default=NeedState.OPEN
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closed_reason = models.TextField(_("raison de la clôture"), blank=True)
    hidden = models.BooleanField(_("masqué par la modération"), default=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("besoin")
        indexes = [
            models.Index(fields=["hidden", "state", "created_at"]),
            models.Index(fields=["created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:need-detail", args=[self.pk])

    @property
    def shown_author(self):
        """Who raised it, as other members see it: None when they chose to stay anonymous."""
        return None if self.anonymous else self.author

    def can_be_managed_by(self, member) -> bool:
        """Whoever raised the need, and the animation team, edit, close and reopen it (and
        still see it once hidden)."""
        if not getattr(member, "is_authenticated", False):
            return False
        return member.is_animation_team or self.author_id == member.pk


class NeedSupport(models.Model):
    """« Moi aussi » : a member meets the same problem."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="need_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "member"], name="one_need_support_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → besoin {self.need_id}"


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def visible(self) -> Self:
        return self.filter(hidden=False)

    def led_by(self, member: "Member") -> Self:
        return self.filter(
            Exists(InitiativeLead.objects.filter(initiative=OuterRef("pk"), member=member))
        )

    def involving(self, member: "Member") -> Self:
        """What the member leads or has joined."""
        return self.filter(
            Exists(InitiativeLead.objects.filter(initiative=OuterRef("pk"), member=member))
            | Exists(Participation.objects.filter(initiative=OuterRef("pk"), member=member))
        )

    def looking_for_help(self) -> Self:
        """Still under way and asking for people: a role with places left, or the
        "recherche de contributeurs" status."""
        open_role = CallForHelp.objects.filter(initiative=OuterRef("pk"), taken__lt=F("count"))
        return self.filter(status__in=OPEN_STATUSES).filter(
            Q(status=InitiativeStatus.LOOKING_FOR_HELP) | Exists(open_role)
        )

    def with_counts(self):
        """Supports, participants and the places still open (none once the initiative no longer
        takes anyone: a paused or finished one is not looking for help, whatever its roles)."""
        open_places = _per_initiative(CallForHelp.objects.all(), Sum(F("count") - F("taken")))
        return self.annotate(
            support_count=_per_initiative(Support.objects.all(), Count("pk")),
            participant_count=_per_initiative(Participation.objects.all(), Count("pk")),
            open_places=Case(
                When(status__in=OPEN_STATUSES, then=open_places),
                default=Value(0),
                output_field=models.IntegerField(),
            ),
        )

    def for_cards(self):
        """What a card in a list shows, in a fixed number of queries whatever the page size."""
        return (
            self.with_counts()
            .select_related("incubator", "startup", "proposer")
            .prefetch_related(
                models.Prefetch(
                    "roles",
                    queryset=CallForHelp.objects.filter(taken__lt=F("count")).order_by("pk"),
                    to_attr="open_roles",
                )
            )
        )


class Initiative(models.Model):
    """Community work someone proposes: an event, a process, a tool, a working group…"""

    title = models.CharField(_("titre"), max_length=TITLE_MAX_LENGTH)
    kind = models.CharField(_("type"), max_length=20, choices=InitiativeKind.choices)
    summary = models.CharField(_("résumé"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("statut"), max_length=20, choices=InitiativeStatus.choices, default=InitiativeStatus.IDEA
    )
    status_reason = models.TextField(_("raison du statut"), blank=True)
    status_changed_at = models.DateTimeField(_("statut changé le"), default=timezone.now)
    scope = models.CharField(
        _("périmètre"), max_length=20, choices=Scope.choices, default=Scope.COMMUNITY
    )
    incubator = models.ForeignKey(
        "members.Incubator", verbose_name=_("incubateur"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="initiatives",
    )  # fmt: skip
    startup = models.ForeignKey(
        "members.Startup", verbose_name=_("startup"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="initiatives",
    )  # fmt: skip
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposée par"), null=True,
        on_delete=models.SET_NULL, related_name="initiatives_proposed",
    )  # fmt: skip
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="InitiativeLead", related_name="initiatives_led"
    )
    needs = models.ManyToManyField(
        Need, verbose_name=_("besoins"), blank=True, related_name="initiatives"
    )
    hidden = models.BooleanField(_("masquée par la modération"), default=False)
    created_at = models.DateTimeField(_("proposée le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("initiative")
        indexes = [
            models.Index(fields=["hidden", "status", "created_at"]),
            models.Index(fields=["hidden", "created_at"]),
            models.Index(fields=["kind"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:initiative-detail", args=[self.pk])

    def is_led_by(self, member) -> bool:
        if not getattr(member, "is_authenticated", False):
            return False
        cached = getattr(self, "_prefetched_objects_cache", {}).get("lead_links")
        if cached is not None:
            return any(link.member_id == member.pk for link in cached)
        return self.lead_links.filter(member=member).exists()

    @property
    def accepts_participants(self) -> bool:
        return self.status in OPEN_STATUSES and not self.hidden

    def can_be_managed_by(self, member) -> bool:
        """Leads and the animation team edit, change the status, open roles…"""
        return bool(getattr(member, "is_animation_team", False)) or self.is_led_by(member)


class InitiativeLead(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="lead_links")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lead_links"
    )
    role = models.CharField(max_length=20, choices=LeadRole.choices, default=LeadRole.CO_LEAD)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "member"], name="one_lead_link_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} porte {self.initiative_id}"


class BudgetRequest(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="budget_requests"
    )
    amount = models.DecimalField(
        _("montant (€)"), max_digits=9, decimal_places=2, validators=[MinValueValidator(1)]
    )
    purpose = models.TextField(_("à quoi servira ce budget"))
    status = models.CharField(
        max_length=20, choices=BudgetStatus.choices, default=BudgetStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(_("message"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("demande de budget")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_amount_is_positive")
        ]

    def __str__(self) -> str:
        return f"{self.amount} € pour {self.initiative_id} ({self.status})"

    @property
    def blocks_progress(self) -> bool:
        return self.status in (BudgetStatus.PENDING, BudgetStatus.REFUSED)


class StatusChange(models.Model):
    """The timeline of an initiative: every status it went through, who moved it and why."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="status_changes"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    from_status = models.CharField(max_length=20, choices=InitiativeStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=InitiativeStatus.choices)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.initiative_id}: {self.from_status} → {self.to_status}"


class CallForHelp(models.Model):
    """A role the leads need people for: "2 personnes pour l'accueil"."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="roles")
    label = models.CharField(_("rôle"), max_length=120)
    count = models.PositiveSmallIntegerField(
        _("nombre de personnes"), validators=[MinValueValidator(1)]
    )
    # Places taken, moved only by conditional updates so that two members joining at the same
    # time cannot both take the last place.
    taken = models.PositiveSmallIntegerField(default=0)
    skill = models.CharField(_("compétence souhaitée"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("rôle recherché")
        constraints = [
            models.CheckConstraint(condition=Q(count__gte=1), name="role_needs_someone"),
            models.CheckConstraint(
                condition=Q(taken__gte=0) & Q(taken__lte=F("count")), name="role_never_overfilled"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def places_left(self) -> int:
        return max(self.count - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.taken >= self.count


class Participation(models.Model):
    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations"
    )
    role = models.ForeignKey(
        CallForHelp, null=True, blank=True, on_delete=models.SET_NULL, related_name="participations"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "member"], name="one_participation_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} participe à {self.initiative_id}"


class Support(models.Model):
    """« Je soutiens » : approval, not participation."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supports")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_supports"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "member"], name="one_support_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} soutient {self.initiative_id}"


class CommentQuerySet(models.QuerySet["Comment"]):
    def visible(self) -> Self:
        return self.filter(hidden=False)


class Comment(models.Model):
    """On an initiative or on a need (exactly one)."""

    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    body = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(initiative__isnull=False) & Q(need__isnull=True))
                | (Q(initiative__isnull=True) & Q(need__isnull=False)),
                name="comment_is_on_one_thing",
            )
        ]

    def __str__(self) -> str:
        return self.body[:80]

    def get_absolute_url(self) -> str:
        return f"{self.subject.get_absolute_url()}#commentaire-{self.pk}"

    @property
    def subject(self):
        return self.initiative if self.initiative_id else self.need


class Update(models.Model):
    """A lead's dated progress post ("point d'étape")."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("point d’étape"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Point d’étape {self.pk} de {self.initiative_id}"


class Report(models.Model):
    """A member asks the animation team to look at an initiative, a need or a comment."""

    target_type = models.CharField(max_length=20, choices=ReportTarget.choices)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("raison"))
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["resolved_at", "created_at"])]

    def __str__(self) -> str:
        return f"Signalement {self.pk} ({self.target_type})"

    @property
    def target(self):
        return getattr(self, self.target_type)

    @property
    def target_pk(self) -> int:
        return getattr(self, f"{self.target_type}_id")


class ModerationAction(models.Model):
    """The audit log of what the animation team did, with namespaced action names
    (`initiative.hidden`, `budget.approved`…). Targets are kept by type and id so the log
    outlives what it talks about."""

    action = models.CharField(max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_type = models.CharField(max_length=20)
    target_id = models.PositiveBigIntegerField()
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"

    @property
    def label(self) -> str:
        """What the animation team did, in words (the action name for an unknown one)."""
        if self.action in ModerationActionKind.values:
            return str(ModerationActionKind(self.action).label)
        return self.action
