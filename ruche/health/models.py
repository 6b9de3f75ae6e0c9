from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ruche.health.enums import PeriodKind

DEFAULT_TRANSVERSE_THRESHOLD = 40


class Snapshot(models.Model):
    """The figures of one calendar period for one segment, as the periodic job last computed
    them: the dashboard reads these rows and never recomputes a calendar period on a page view.
    A segment too small to show has no row."""

    period = models.CharField(max_length=10, choices=PeriodKind.choices)
    start = models.DateField()
    end = models.DateField()
    # "all", "incubator:<slug>", "domaine:<value>", "seniority:<band>", "<kind>:autres".
    segment = models.CharField(max_length=200)
    # An incubator's name as it was; other segments are named from their enums when shown.
    label = models.CharField(max_length=300, blank=True)
    figures = models.JSONField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("relevé de santé")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "start", "segment"], name="health_one_snapshot_per_segment"
            ),
            models.CheckConstraint(
                condition=~Q(period=PeriodKind.CUSTOM), name="health_snapshot_of_a_calendar_period"
            ),
        ]
        indexes = [models.Index(fields=["segment", "period", "start"])]

    def __str__(self) -> str:
        return f"{self.period} {self.start} {self.segment}"


class AlertSettings(models.Model):
    """The animation team's settings of the health alerts: one row (created on first change)."""

    transverse_threshold = models.PositiveSmallIntegerField(
        _("seuil de charge des rôles transverses (%)"),
        default=DEFAULT_TRANSVERSE_THRESHOLD,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("réglages des alertes de santé")
        constraints = [
            models.CheckConstraint(
                condition=Q(transverse_threshold__gte=1) & Q(transverse_threshold__lte=99),
                name="health_threshold_is_a_percentage",
            )
        ]

    def __str__(self) -> str:
        return f"{self.transverse_threshold} %"
