import datetime
from contextlib import suppress

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ruche.core.forms import RucheForm
from ruche.events.forms import DateInput
from ruche.health.enums import PeriodKind, SegmentKind
from ruche.health.periods import Period
from ruche.health.segments import SegmentKey

EARLIEST = datetime.date(2000, 1, 1)
# Longer spans are the yearly snapshots' job.
LONGEST_SPAN_DAYS = 3 * 366
DATE_ERRORS = {"invalid": _("Saisissez une date, par exemple 2026-03-31.")}


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages=DATE_ERRORS,
    )


class DashboardForm(RucheForm):
    """The dashboard's filters, as GET parameters: `period` (month, quarter, year or custom),
    `date` (a day of the wanted month, quarter or year; today by default), `from` and `to` (a
    chosen span), `segment`."""

    period = forms.ChoiceField(
        label=_("Période"), choices=PeriodKind.choices, required=False, initial=PeriodKind.MONTH
    )
    date = _date_field(
        _("Un jour de la période"),
        _("Pour un mois, un trimestre ou une année. Par défaut, le dernier mois complet."),
    )
    # "from" and "to" are added below: Python keywords cannot name class attributes.
    segment = forms.CharField(
        label=_("Segment"),
        required=False,
        max_length=200,
        widget=forms.Select,
        help_text=_("Les segments de moins de 5 membres sont regroupés dans « autres »."),
    )
    field_order = ["period", "date", "from", "to", "segment"]

    def __init__(self, data=None, *, today: datetime.date, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today
        # The length is checked, but a list takes no maxlength attribute (not valid HTML).
        self.fields["segment"].widget.attrs.pop("maxlength", None)
        # The last day of the last complete month: a month that has just begun says little.
        self.default_day = today.replace(day=1) - datetime.timedelta(days=1)

    def offer_segments(self, segments: list[tuple[str, str]]) -> None:
        """The segment list of the period shown, grouped by kind; one asked for but too small
        to show stays selected, so that the page says why it shows nothing."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, label in segments:
            kind = SegmentKey.parse(key).kind
            groups.setdefault(kind, []).append((key, label))
        asked = self.data.get("segment", "")
        if asked and asked not in {key for key, _label in segments}:
            with suppress(ValueError):
                kind = SegmentKey.parse(asked).kind
                groups.setdefault(kind, []).append(
                    (asked, _("%(value)s (trop petit)") % {"value": asked})
                )
        self.fields["segment"].widget.choices = [
            (SegmentKind(kind).label, choices) if kind != SegmentKind.ALL else choices[0]
            for kind, choices in groups.items()
        ]

    def clean_segment(self):
        text = self.cleaned_data.get("segment") or "all"
        try:
            return SegmentKey.parse(text)
        except ValueError:
            raise ValidationError(
                _(
                    "Segment inconnu : « all », « incubator:<identifiant> », "
                    "« domaine:<domaine> », « seniority:<tranche> » ou « <type>:autres »."
                ),
                code="invalid",
            ) from None

    def _check_day(self, name):
        """A day of the community's life: from 2000 on, and not in the future (but a span may
        end later: a period under way is measured up to today)."""
        day = self.cleaned_data.get(name)
        if day is None:
            return
        if name == "to" and day < EARLIEST:
            self.add_error(name, _("Choisissez une date à partir du 1er janvier 2000."))
        elif name != "to" and not EARLIEST <= day <= self.today:
            self.add_error(
                name,
                _("Choisissez une date entre le 1er janvier 2000 et aujourd’hui."),
            )

    def clean(self):
        cleaned = super().clean()
        for name in ("date", "from", "to"):
            self._check_day(name)
        kind = cleaned.get("period") or PeriodKind.MONTH
        if kind != PeriodKind.CUSTOM:
            if "date" not in self.errors:
                cleaned["chosen"] = Period.containing(kind, cleaned.get("date") or self.default_day)
            return cleaned
        start, end = cleaned.get("from"), cleaned.get("to")
        for name, value in (("from", start), ("to", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Indiquez les deux dates d’une période choisie."))
        if self.errors:
            return cleaned
        if end < start:
            self.add_error("to", _("La fin de la période doit suivre son début."))
        elif (end - start).days >= LONGEST_SPAN_DAYS:
            self.add_error("to", _("Choisissez une période de trois ans au plus."))
        else:
            cleaned["chosen"] = Period.span(start, end)
        return cleaned

    def chosen(self) -> tuple[Period, SegmentKey]:
        """The period and segment asked for, or the last complete month of the whole community
        when the filters are wrong (the page then shows why, with what was typed)."""
        if self.is_valid():
            return self.cleaned_data["chosen"], self.cleaned_data["segment"]
        return Period.containing(PeriodKind.MONTH, self.default_day), SegmentKey.parse("all")


DashboardForm.base_fields["from"] = _date_field(_("Du"), _("Pour une période choisie."))
DashboardForm.base_fields["to"] = _date_field(_("Au"), _("Pour une période choisie."))


class AlertSettingsForm(RucheForm):
    transverse_threshold = forms.IntegerField(
        label=_("Seuil d’alerte de la charge des rôles transverses (en %)"),
        help_text=_(
            "L’alerte se déclenche quand la part des initiatives et événements portés par "
            "l’équipe d’animation dépasse ce seuil deux mois de suite. Entre 1 et 99."
        ),
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": _("Indiquez un pourcentage entier, par exemple 40."),
            "required": _("Indiquez un seuil, par exemple 40."),
            "min_value": _("Le seuil doit être un pourcentage entre 1 et 99."),
            "max_value": _("Le seuil doit être un pourcentage entre 1 et 99."),
        },
    )
