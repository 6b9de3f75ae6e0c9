from django.conf import settings
from django.db import models
from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType


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
            models.Index(fields=["member", "at"]),
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

    def __str__(self):
        return (
            f"{self.member_id} {self.kind} {self.subject_type}#{self.subject_id} ({self.weight:+d})"
        )
