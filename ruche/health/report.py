"""How the figures are shown: each metric's headline, its state against documented thresholds,
its other figures and lists, and the words that explain it on the page. The dashboard, the
exports and the API all read the figures through `build()`, so they always agree."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ruche.core.text import Label
from ruche.engagement.enums import ContributionKind
from ruche.health.enums import HealthState, MetricKey, Unit

# Within this many points under the threshold, the transverse load is « à surveiller ».
TRANSVERSE_MARGIN = 10


@dataclass(frozen=True)
class FigureSpec:
    path: str
    label: Label
    unit: str = Unit.COUNT


@dataclass(frozen=True)
class MetricSpec:
    key: str
    headline: FigureSpec
    # The headline is « bon » from `good` on, « à surveiller » from `watch` on, else « alerte »
    # (None for the transverse load, whose threshold the animation team sets).
    good: float | None
    watch: float | None
    definition: Label
    why: Label
    reading: Label
    figures: tuple = ()
    lists: tuple = ()  # (path, label)


METRICS = (
    MetricSpec(
        key=MetricKey.PARTICIPATION,
        headline=FigureSpec(
            "participation.rate", _("Taux de participation des membres actifs"), Unit.RATIO
        ),
        good=0.2,
        watch=0.1,
        definition=_(
            "Un membre est actif sur la période quand une de ses missions la recouvre. Une "
            "contribution est un acte noté dans Ruche : proposer, porter ou rejoindre une "
            "initiative, s’inscrire ou participer à un événement, tenir un créneau, soutenir, "
            "commenter, soulever un besoin… Le taux de participation est la part des membres "
            "actifs qui ont fait au moins une contribution sur la période. Une personne dont la "
            "toute première contribution tombe dans la période est une nouvelle contributrice."
        ),
        why=_(
            "C’est le pouls de la communauté : une communauté qui se désengage le montre "
            "d’abord ici, bien avant une enquête semestrielle."
        ),
        reading=_(
            "Regardez l’évolution d’une période à l’autre plutôt que la valeur seule. Des "
            "nouvelles personnes qui contribuent sont le signe que la communauté s’ouvre ; si "
            "seules les mêmes reviennent, elle se referme."
        ),
        figures=(
            FigureSpec(
                "participation.active_contributors",
                _("Membres actifs qui ont contribué"),
                Unit.PEOPLE,
            ),
            FigureSpec("participation.active_members", _("Membres actifs"), Unit.PEOPLE),
            FigureSpec(
                "participation.contributors",
                _("Personnes qui ont contribué (ancien·nes membres compris)"),
                Unit.PEOPLE,
            ),
            FigureSpec(
                "participation.new_contributors",
                _("Nouvelles personnes qui contribuent"),
                Unit.PEOPLE,
            ),
            FigureSpec(
                "participation.returning_contributors",
                _("Personnes qui avaient déjà contribué"),
                Unit.PEOPLE,
            ),
            FigureSpec("participation.contributions", _("Contributions")),
        ),
        lists=(("participation.by_kind", _("Contributions par type")),),
    ),
    MetricSpec(
        key=MetricKey.NEWCOMERS,
        headline=FigureSpec(
            "newcomers.activated_90.share",
            _("Nouvelles arrivées qui ont contribué dans les 90 jours"),
            Unit.RATIO,
        ),
        good=0.5,
        watch=0.3,
        definition=_(
            "Les nouvelles arrivées sont les membres dont la première mission a commencé sur la "
            "période. On mesure la part de celles et ceux qui ont fait une première contribution "
            "dans les 30 et les 90 jours suivant ce début, le délai médian jusqu’à cette première "
            "contribution, et la part de celles et ceux qui en ont fait une deuxième dans les 90 "
            "jours après la première. Une personne arrivée depuis moins de 30 (ou 90) jours n’est "
            "pas encore mesurable : elle n’est comptée ni d’un côté ni de l’autre."
        ),
        why=_(
            "Les premières semaines décident souvent si une personne prendra part à la vie de la "
            "communauté. Un accueil qui ne donne pas envie de faire un premier pas se voit ici."
        ),
        reading=_(
            "Les chiffres d’une période récente bougent encore : ils se complètent à mesure que "
            "les personnes arrivées deviennent mesurables. Un délai médian qui s’allonge invite à "
            "revoir les premiers pas proposés."
        ),
        figures=(
            FigureSpec("newcomers.newcomers", _("Nouvelles arrivées"), Unit.PEOPLE),
            FigureSpec(
                "newcomers.activated_30.share",
                _("Première contribution dans les 30 jours"),
                Unit.RATIO,
            ),
            FigureSpec(
                "newcomers.activated_30.not_yet_measurable",
                _("Pas encore mesurables à 30 jours"),
                Unit.PEOPLE,
            ),
            FigureSpec(
                "newcomers.activated_90.not_yet_measurable",
                _("Pas encore mesurables à 90 jours"),
                Unit.PEOPLE,
            ),
            FigureSpec(
                "newcomers.median_days_to_first",
                _("Délai médian jusqu’à la première contribution"),
                Unit.DAYS,
            ),
            FigureSpec(
                "newcomers.retention.share",
                _("Deuxième contribution dans les 90 jours suivant la première"),
                Unit.RATIO,
            ),
            FigureSpec(
                "newcomers.retention.not_yet_measurable",
                _("Rétention pas encore mesurable"),
                Unit.PEOPLE,
            ),
        ),
    ),
    MetricSpec(
        key=MetricKey.CONCENTRATION,
        headline=FigureSpec("concentration.absence_factor", _("Facteur d’absence"), Unit.PEOPLE),
        good=5,
        watch=3,
        definition=_(
            "Les contributions qui portent la vie collective sont : porter ou co-porter une "
            "initiative, organiser un événement, y intervenir, tenir un créneau bénévole, "
            "prendre une décision de groupe. Le facteur d’absence (une mesure de CHAOSS) est le "
            "plus petit nombre de personnes qui, ensemble, en font la moitié. Sur toutes les "
            "contributions, le cœur est le plus petit groupe qui en fait 80 %, les régulier·es "
            "les personnes suivantes jusqu’à 95 %, les occasionnel·les le reste. Une initiative "
            "fragile n’a qu’un·e porteur·se ; un créneau fragile est toujours tenu par la même "
            "personne sur un événement qui se répète."
        ),
        why=_(
            "Quand la vie collective repose sur très peu de personnes, il suffit que quelques-unes "
            "s’épuisent ou partent pour qu’elle s’arrête."
        ),
        reading=_(
            "Plus le facteur d’absence est grand, mieux la charge est partagée. Les initiatives et "
            "créneaux fragiles sont les endroits où un coup de main compte le plus."
        ),
        figures=(
            FigureSpec(
                "concentration.carrying_contributions",
                _("Contributions qui portent la vie collective"),
            ),
            FigureSpec("concentration.carriers", _("Personnes qui portent"), Unit.PEOPLE),
            FigureSpec("concentration.core", _("Cœur (jusqu’à 80 %)"), Unit.PEOPLE),
            FigureSpec("concentration.regular", _("Régulier·es (de 80 à 95 %)"), Unit.PEOPLE),
            FigureSpec("concentration.casual", _("Occasionnel·les"), Unit.PEOPLE),
            FigureSpec(
                "concentration.fragile_initiatives", _("Initiatives portées par une seule personne")
            ),
            FigureSpec(
                "concentration.fragile_rotas", _("Créneaux récurrents tenus par une seule personne")
            ),
        ),
        lists=(
            (
                "concentration.fragile_initiatives_list",
                _("Initiatives portées par une seule personne"),
            ),
            (
                "concentration.fragile_rotas_list",
                _("Créneaux récurrents tenus par une seule personne"),
            ),
        ),
    ),
    MetricSpec(
        key=MetricKey.TRANSVERSE_LOAD,
        headline=FigureSpec(
            "transverse_load.share",
            _("Initiatives et événements portés par un rôle transverse"),
            Unit.RATIO,
        ),
        good=None,
        watch=None,
        definition=_(
            "Parmi les initiatives créées et les événements tenus sur la période, la part dont au "
            "moins un·e porteur·se ou organisateur·rice avait un rôle transverse (aujourd’hui, "
            "l’équipe d’animation) au moment où il ou elle s’en est chargé·e : c’est ce que Ruche "
            "a noté à ce moment-là, pas le rôle d’aujourd’hui."
        ),
        why=_(
            "Une communauté vivante se porte elle-même. Quand l’équipe d’animation porte une "
            "part croissante de ce qui se fait, la vie collective se bureaucratise : c’est un "
            "signal à prendre tôt."
        ),
        reading=_(
            "L’alerte se déclenche quand la part dépasse le seuil deux périodes de suite ; une "
            "seule période au-dessus, ou un peu en dessous, est à surveiller."
        ),
        figures=(
            FigureSpec("transverse_load.initiatives", _("Initiatives créées")),
            FigureSpec("transverse_load.events", _("Événements tenus")),
            FigureSpec("transverse_load.with_transverse", _("Dont portés par un rôle transverse")),
        ),
    ),
    MetricSpec(
        key=MetricKey.COHESION,
        headline=FigureSpec(
            "cohesion.share_incubators",
            _("Collectifs qui réunissent plusieurs incubateurs"),
            Unit.RATIO,
        ),
        good=0.5,
        watch=0.25,
        definition=_(
            "Parmi les initiatives et les groupes d’au moins deux participant·es (porteur·ses et "
            "membres qui les ont rejoints) qui ont reçu une contribution sur la période, la part "
            "dont les participant·es viennent d’au moins deux startups, et d’au moins deux "
            "incubateurs, tels que notés au moment où chacun·e a rejoint. Le facteur éléphant est "
            "le plus petit nombre d’incubateurs qui font ensemble la moitié des contributions. "
            "Les incubateurs silencieux comptent au moins 5 membres ici et aucune contribution."
        ),
        why=_(
            "La communauté beta.gouv tient par les liens entre équipes et entre incubateurs. "
            "Des collectifs qui restent entre soi, ou quelques incubateurs qui font tout, "
            "annoncent une communauté qui se fragmente."
        ),
        reading=_(
            "Un facteur éléphant de 1 ou 2 veut dire que la vie collective dépend de très peu "
            "d’incubateurs. Un incubateur silencieux est une invitation à aller à sa rencontre."
        ),
        figures=(
            FigureSpec("cohesion.teams", _("Collectifs d’au moins deux personnes actifs")),
            FigureSpec(
                "cohesion.share_startups",
                _("Collectifs qui réunissent plusieurs startups"),
                Unit.RATIO,
            ),
            FigureSpec("cohesion.elephant_factor", _("Facteur éléphant (incubateurs)")),
            FigureSpec("cohesion.incubators_contributing", _("Incubateurs qui ont contribué")),
            FigureSpec("cohesion.quiet_incubators", _("Incubateurs silencieux")),
        ),
        lists=(("cohesion.quiet_incubators_list", _("Incubateurs silencieux")),),
    ),
    MetricSpec(
        key=MetricKey.FIT,
        headline=FigureSpec("fit.share", _("Besoins pris en charge"), Unit.RATIO),
        good=0.5,
        watch=0.25,
        definition=_(
            "Les besoins soulevés sur la période, et la part d’entre eux qu’une initiative liée, "
            "en cours ou réalisée à la fin de la période, prend en charge. Le délai médian va du "
            "besoin à la création de la première initiative liée (0 quand une initiative existait "
            "déjà). Les besoins sans réponse les plus partagés sont classés par « moi aussi »."
        ),
        why=_(
            "Ruche sert à ce que les solutions répondent aux problèmes que les membres "
            "rencontrent vraiment. Des besoins qui restent sans réponse découragent d’en "
            "soulever."
        ),
        reading=_(
            "Un besoin soulevé à la fin d’une période a eu peu de temps pour trouver sa réponse : "
            "comparez plutôt des périodes terminées. Les besoins les plus partagés sans réponse "
            "sont de bonnes idées d’initiatives."
        ),
        figures=(
            FigureSpec("fit.needs", _("Besoins soulevés")),
            FigureSpec("fit.addressed", _("Besoins pris en charge")),
            FigureSpec(
                "fit.median_days_to_initiative", _("Délai médian jusqu’à une initiative"), Unit.DAYS
            ),
        ),
        lists=(("fit.top_unaddressed", _("Besoins sans réponse les plus partagés")),),
    ),
    MetricSpec(
        key=MetricKey.IDENTITY,
        headline=FigureSpec(
            "identity.share",
            _("Membres actifs présents à la vie de toute la communauté"),
            Unit.RATIO,
        ),
        good=0.15,
        watch=0.05,
        definition=_(
            "Les membres qui ont participé à un événement de toute la communauté (un événement "
            "qui n’est ni celui d’un incubateur ni celui d’un groupe) ou qui ont porté ou rejoint "
            "une initiative ouverte à toute la communauté, et leur part parmi les membres actifs ; "
            "les événements tenus et les personnes venues à au moins un événement."
        ),
        why=_(
            "Se sentir membre de beta.gouv, et pas seulement de sa startup, passe par des moments "
            "partagés avec toute la communauté."
        ),
        reading=_(
            "Les événements marquants font des pics : regardez la tendance sur plusieurs "
            "périodes. La présence n’est comptée que lorsque l’organisation l’a notée."
        ),
        figures=(
            FigureSpec(
                "identity.members",
                _("Membres présents à la vie de toute la communauté"),
                Unit.PEOPLE,
            ),
            FigureSpec("identity.events_held", _("Événements tenus")),
            FigureSpec(
                "identity.attendees", _("Personnes venues à au moins un événement"), Unit.PEOPLE
            ),
        ),
    ),
)

SPECS = {spec.key: spec for spec in METRICS}


@dataclass
class FigureRow:
    key: str
    label: str
    unit: str
    value: float | int | None
    previous: float | int | None


@dataclass
class ItemRow:
    label: str
    value: int | None = None
    url: str = ""


@dataclass
class ListRow:
    key: str
    label: str
    items: list = field(default_factory=list)


@dataclass
class MetricReport:
    key: str
    title: str
    definition: Label
    why: Label
    reading: Label
    rule: str
    state: str | None
    headline: FigureRow
    figures: list
    lists: list
    # The headline over recent periods (set by the dashboard).
    chart: dict | None = None


def value_at(figures: dict | None, path: str):
    value = figures
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def state_of(spec: MetricSpec, value, previous, threshold: int) -> str | None:
    """The headline's state; None when there is no value to judge."""
    if value is None:
        return None
    if spec.key == MetricKey.TRANSVERSE_LOAD:
        limit = threshold / 100
        if value > limit and previous is not None and previous > limit:
            return HealthState.ALERT
        if value > limit or value * 100 >= threshold - TRANSVERSE_MARGIN:
            return HealthState.WATCH
        return HealthState.GOOD
    if value >= spec.good:
        return HealthState.GOOD
    if value >= spec.watch:
        return HealthState.WATCH
    return HealthState.ALERT


def _amount(spec: MetricSpec, value) -> str:
    if spec.headline.unit == Unit.RATIO:
        return f"{round(value * 100)} %"
    return str(value)


def rule_of(spec: MetricSpec, threshold: int) -> str:
    """The thresholds of a headline, in words."""
    if spec.key == MetricKey.TRANSVERSE_LOAD:
        return gettext(
            "Bon sous %(watch)s %%, à surveiller de %(watch)s à %(threshold)s %% ou au-dessus "
            "une seule période, alerte au-dessus de %(threshold)s %% deux périodes de suite "
            "(seuil réglé par l’équipe d’animation)."
        ) % {"watch": max(threshold - TRANSVERSE_MARGIN, 0), "threshold": threshold}
    return gettext(
        "Bon à partir de %(good)s, à surveiller à partir de %(watch)s, alerte en dessous."
    ) % {"good": _amount(spec, spec.good), "watch": _amount(spec, spec.watch)}


def _items(path: str, value) -> list[ItemRow]:
    if not value:
        return []
    if path == "participation.by_kind":
        return [
            ItemRow(
                str(ContributionKind(kind).label) if kind in ContributionKind.values else kind,
                count,
            )
            for kind, count in value.items()
        ]
    if path == "concentration.fragile_initiatives_list":
        return [
            ItemRow(item["title"], url=reverse("initiatives:initiative-detail", args=[item["id"]]))
            for item in value
        ]
    if path == "concentration.fragile_rotas_list":
        return [ItemRow(f"{item['title']} — {item['label']}", item["slots"]) for item in value]
    if path == "fit.top_unaddressed":
        return [
            ItemRow(
                item["title"],
                item["supports"],
                reverse("initiatives:need-detail", args=[item["id"]]),
            )
            for item in value
        ]
    return [ItemRow(str(label)) for label in value]


def build(figures: dict | None, previous: dict | None, threshold: int) -> list[MetricReport]:
    """Every metric of a period, compared with the period before."""
    reports = []
    for spec in METRICS:

        def row(figure: FigureSpec) -> FigureRow:
            return FigureRow(
                key=figure.path.replace(".", "_"),
                label=str(figure.label),
                unit=figure.unit,
                value=value_at(figures, figure.path),
                previous=value_at(previous, figure.path),
            )

        headline = row(spec.headline)
        reports.append(
            MetricReport(
                key=spec.key,
                title=str(MetricKey(spec.key).label),
                definition=str(spec.definition),
                why=str(spec.why),
                reading=str(spec.reading),
                rule=str(rule_of(spec, threshold)),
                state=state_of(spec, headline.value, headline.previous, threshold),
                headline=headline,
                figures=[row(figure) for figure in spec.figures],
                lists=[
                    ListRow(
                        path.replace(".", "_"), str(label), _items(path, value_at(figures, path))
                    )
                    for path, label in spec.lists
                ],
            )
        )
    return reports
