from django.conf import settings
from django.db import models
from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType

THANKS_MAX_LENGTH = 280


class Contribution(models.Model):
    """One act of engagement, appended and never changed. Undoing an act (leaving, withdrawing
    a support) appends a row of the same kind with weight -1, so sums over any period stay
    right. The member's situation is copied at the moment of the act: health metrics must not
    move when someone changes startup later."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions"
    )
    kind = models.CharField(max_length=20, choices=ContributionKind.choices)
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    weight = models.SmallIntegerField(default=1)
    details = models.JSONField(default=dict, blank=True)
    # The member's context when they acted.
    startup = models.ForeignKey(
        "members.Startup", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    incubator = models.ForeignKey(
        "members.Incubator", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    domaine = models.CharField(max_length=20, blank=True)
    is_transverse_role = models.BooleanField(default=False)
    is_newcomer = models.BooleanField(default=False)
    is_alumnus = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["at", "kind"]),
            models.Index(fields=["kind", "at"]),
            models.Index(fields=["incubator", "at"]),
            models.Index(fields=["domaine", "at"]),
            # A member's ledger over a period: the weight is in the index too, so the engaged
            # colleagues of the home page (net weight and last act of each colleague over a
            # year) never visit the table.
            models.Index(fields=["member", "at", "weight"], name="contribution_member_at"),
            models.Index(fields=["subject_type", "subject_id"]),
            # Health reads whole periods: this index holds every column its scans need, so
            # they never visit the table.
            models.Index(
                fields=[
                    "at",
                    "member",
                    "kind",
                    "incubator",
                    "domaine",
                    "weight",
                    "subject_type",
                    "subject_id",
                ],
                name="contribution_period_scan",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__in=[1, -1]),
                name="contribution_weight_is_plus_or_minus_one",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.member_id} {self.kind} {self.subject_type}#{self.subject_id} ({self.weight:+d})"
        )


class Thanks(models.Model):
    """A member thanks another for one specific contribution (an initiative, an event, a slot,
    a decision…), once per subject."""

    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_given"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thanks_received"
    )
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices)
    subject_id = models.PositiveBigIntegerField()
    message = models.CharField(max_length=THANKS_MAX_LENGTH, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["giver", "receiver", "subject_type", "subject_id"],
                name="thanks_once_per_person_and_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(giver=models.F("receiver")), name="thanks_not_oneself"
            ),
        ]
        indexes = [models.Index(fields=["receiver", "at"])]

    def __str__(self) -> str:
        return f"{self.giver_id} → {self.receiver_id} ({self.subject_type}#{self.subject_id})"


class TimeDeclaration(models.Model):
    """Time a member says they gave to community work (the 10 % rule). Private, and not an act
    of engagement: it stays out of the ledger."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_declarations"
    )
    day = models.DateField()
    minutes = models.PositiveIntegerField()
    subject_type = models.CharField(max_length=20, choices=SubjectType.choices, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    what = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["day", "pk"]
        indexes = [models.Index(fields=["member", "day"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0, minutes__lte=24 * 60),
                name="time_declaration_within_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.day} {self.minutes} min"

    @property
    def hours(self) -> float:
        return self.minutes / 60
