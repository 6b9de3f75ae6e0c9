import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from ruche.core.api import INPUT_ERRORS
from ruche.health import report, services
from ruche.health.enums import HealthState, MetricKey, PeriodKind, SegmentKind, Unit
from ruche.health.export import payload
from ruche.health.forms import DashboardForm

router = Router(tags=["santé"])


class PeriodOut(Schema):
    kind: PeriodKind
    start: datetime.date
    end: datetime.date = Field(description="Dernier jour compris")
    label: str


class SegmentOut(Schema):
    key: str = Field(description="all, incubator:<slug>, domaine:<valeur>, seniority:<tranche>")
    kind: SegmentKind
    label: str


class FigureOut(Schema):
    key: str
    label: str
    unit: Unit
    value: int | float | None = Field(description="None : pas de données sur la période")
    previous: int | float | None = Field(description="La même mesure sur la période précédente")


class ItemOut(Schema):
    label: str
    value: int | None
    url: str = Field(description="Chemin de la page de l’objet, vide s’il n’en a pas")


class ListOut(Schema):
    key: str
    label: str
    items: list[ItemOut]


class MetricOut(Schema):
    key: MetricKey
    title: str
    state: HealthState | None = Field(description="None : pas assez de données pour juger")
    rule: str = Field(description="Les seuils de l’état, en toutes lettres")
    headline: FigureOut
    figures: list[FigureOut]
    lists: list[ListOut]


class MetricsOut(Schema):
    period: PeriodOut
    previous_period: PeriodOut
    segment: SegmentOut
    shown: bool = Field(
        description="False quand le segment compte moins de 5 membres sur la période : ses "
        "chiffres ne sont pas montrés (ils comptent dans « autres »)"
    )
    computed_at: datetime.datetime | None
    source: Literal["snapshot", "computed"] = Field(
        description="snapshot : relevé quotidien ; computed : calculé à la demande"
    )
    transverse_threshold: int = Field(description="Seuil d’alerte de la charge transverse (%)")
    metrics: list[MetricOut]


class MetricsQuery(Schema):
    date_from: datetime.date | None = Field(
        None, alias="from", description="Premier jour (AAAA-MM-JJ)"
    )
    date_to: datetime.date | None = Field(
        None, alias="to", description="Dernier jour compris (AAAA-MM-JJ)"
    )
    segment: str = Field(
        "all",
        description="all, incubator:<slug>, domaine:<valeur>, seniority:<tranche> (0-6m, "
        "6m-2a, 2a-5a, 5a+), ou <type>:autres",
    )


@router.get(
    "/health/metrics",
    response={200: MetricsOut, **INPUT_ERRORS},
    summary="Les indicateurs de santé de la communauté",
    description=(
        "Les mêmes chiffres que la page Santé, pour la période du `from` au `to` (dates "
        "comprises ; par défaut le dernier mois complet) et un segment, comparés à la période "
        "précédente de même longueur. Un mois, un trimestre ou une année calendaires sont lus "
        "dans les relevés quotidiens ; toute autre période est calculée à la demande."
    ),
)
def health_metrics(request, params: Query[MetricsQuery]):
    date_from, date_to, segment = params.date_from, params.date_to, params.segment
    given = {"from": date_from, "to": date_to}
    if (date_from is None) != (date_to is None):
        missing = next(name for name, value in given.items() if value is None)
        raise ValidationError(
            [{"type": "missing", "loc": ["query", missing], "msg": "Champ obligatoire."}]
        )
    data = {"segment": segment}
    if date_from is not None and date_to is not None:
        data.update(
            period=PeriodKind.CUSTOM, **{"from": date_from.isoformat(), "to": date_to.isoformat()}
        )
    form = DashboardForm(data, today=timezone.localdate())
    if not form.is_valid():
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in form.errors.items()
            ]
        )
    period, key = form.chosen()
    reading = services.read(period, key)
    previous = services.read(period.previous(), key)
    threshold = services.alert_settings().transverse_threshold
    return payload(
        reading, previous, report.build(reading.figures, previous.figures, threshold), threshold
    )
