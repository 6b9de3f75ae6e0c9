import csv

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from ruche.core.actions import submitted
from ruche.health import report, services
from ruche.health.charts import bar_chart
from ruche.health.enums import PeriodKind
from ruche.health.export import csv_rows, payload
from ruche.health.forms import AlertSettingsForm, DashboardForm
from ruche.health.periods import Period

# Bars in each chart, by kind of period (a chosen span shows the months up to its end).
SERIES = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 8, PeriodKind.YEAR: 3}
CSV_HEADER = (
    gettext_lazy("Période"),
    gettext_lazy("Segment"),
    gettext_lazy("Indicateur"),
    gettext_lazy("Mesure"),
    gettext_lazy("Clé"),
    gettext_lazy("Unité"),
    gettext_lazy("Valeur"),
    gettext_lazy("Période précédente"),
)


def _figures(request):
    """What every view of the dashboard shows: the chosen period and segment, read from the
    snapshots (or computed), with the period before for comparison."""
    today = timezone.localdate()
    form = DashboardForm(request.GET, today=today)
    period, segment = form.chosen()
    reading = services.read(period, segment)
    previous = services.read(period.previous(), segment)
    threshold = services.alert_settings().transverse_threshold
    reports = report.build(reading.figures, previous.figures, threshold)
    return form, reading, previous, reports, threshold


def _add_charts(reading, reports) -> None:
    """Each metric's headline over the recent periods of the same kind, as a bar chart and
    its table (a chosen span shows the months up to its end)."""
    kind = reading.period.kind if reading.period.is_calendar else PeriodKind.MONTH
    points = services.series(kind, reading.period, reading.segment, SERIES[kind])
    for spec, metric in zip(report.METRICS, reports, strict=True):
        values = [
            (period, report.value_at(figures, spec.headline.path)) for period, figures in points
        ]
        metric.chart = bar_chart(
            [(period.short_label, value) for period, value in values], spec.headline.unit
        )
        metric.chart["rows"] = [{"label": period.label, "value": value} for period, value in values]
        metric.chart["unit"] = spec.headline.unit
        metric.chart["title"] = metric.headline.label


def _neighbours(request, period: Period, today) -> dict:
    """Links to the period before and after (none after the current one)."""
    if not period.is_calendar:
        return {}
    query = request.GET.copy()
    query["period"] = period.kind
    links = {}
    for name, other in (("previous", period.previous()), ("next", period.next())):
        if other.start <= today:
            query["date"] = other.start.isoformat()
            links[name] = {"url": f"?{query.urlencode()}", "label": other.label}
    return links


@require_safe
def dashboard(request):
    form, reading, previous, reports, threshold = _figures(request)
    form.offer_segments(reading.segments)
    if reading.figures is not None:
        _add_charts(reading, reports)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "reading": reading,
        "previous": previous,
        "reports": reports,
        "threshold": threshold,
        "is_animation_team": request.user.is_animation_team,
        "alert": services.transverse_alert() if request.user.is_animation_team else None,
        "csv_url": reverse("health:export-csv") + (f"?{query}" if query else ""),
        "json_url": reverse("health:export-json") + (f"?{query}" if query else ""),
        "neighbours": _neighbours(request, reading.period, timezone.localdate()),
        "today": timezone.localdate(),
    }
    return render(request, "health/dashboard.html", context)


def _filename(reading, extension: str) -> str:
    segment = str(reading.segment).replace(":", "-")
    return f"sante-{reading.period.start}-{reading.period.end}-{segment}.{extension}"


@require_safe
def export_json(request):
    _form, reading, previous, reports, threshold = _figures(request)
    response = JsonResponse(
        payload(reading, previous, reports, threshold), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(reading, "json")}"'
    return response


@require_safe
def export_csv(request):
    _form, reading, previous, reports, threshold = _figures(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(reading, "csv")}"'
    response.write("\ufeff")  # lets spreadsheet software see UTF-8
    writer = csv.writer(response)
    writer.writerow([str(label) for label in CSV_HEADER])
    writer.writerows(csv_rows(payload(reading, previous, reports, threshold)))
    return response


@require_http_methods(["GET", "POST"])
def alert_settings(request):
    services.alert_settings_require(request.user)
    current = services.alert_settings()
    form = AlertSettingsForm(
        request.POST or None, initial={"transverse_threshold": current.transverse_threshold}
    )
    changed = submitted(
        request,
        form,
        lambda data: services.alert_threshold_update(
            actor=request.user, threshold=data["transverse_threshold"]
        ),
    )
    if changed is not None:
        messages.success(request, _("Seuil d’alerte enregistré."))
        return redirect("health:dashboard")
    context = {
        "form": form,
        "settings": current,
        "breadcrumb_data": {
            "links": [{"url": reverse("health:dashboard"), "title": _("Santé")}],
            "current": _("Réglages des alertes"),
        },
    }
    return render(request, "health/alert_settings.html", context)
