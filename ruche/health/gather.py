"""Reads one period of community life into the plain data the metrics need (`PeriodData`),
with a fixed number of aggregate queries whatever the size of the ledger: health only reads the
ledger, the members and their missions, and the initiatives, needs and events a metric is about.
Every segment of the period is then computed from this data, without going back to the
database."""

import contextlib
import datetime
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import In
from django.utils import timezone

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.engagement.models import Contribution
from ruche.events.enums import EventStatus
from ruche.events.models import Event, Shift, ShiftSignup
from ruche.groups.models import WorkingGroup
from ruche.health.metrics import (
    LEAD_KINDS,
    PARTICIPANT_KINDS,
    Acts,
    Carried,
    Context,
    FirstSteps,
    HeldEvent,
    Participant,
    PeriodData,
    Presence,
    RaisedNeed,
    Rota,
    Team,
)
from ruche.health.periods import Period
from ruche.initiatives.enums import InitiativeStatus, Scope
from ruche.initiatives.models import Initiative, Need, StatusChange
from ruche.members.models import Incubator, Member, Mission

# Statuses that count a need as addressed by the initiative linked to it.
ADDRESSING = {InitiativeStatus.IN_PROGRESS, InitiativeStatus.DONE}
# Members looked up per query (SQLite caps the parameters of one statement).
CHUNK = 2000


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _rows(queryset) -> list[tuple]:
    """The rows of a values_list() queryset as the database driver gives them: for the few
    queries that read tens of thousands of rows, Django's conversion of each value would cost
    more than the query. Dates may then come as ISO text (SQLite): see `_day`."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


# Acts whose subject the metrics look at one by one: those about an initiative or a group
# (cohesion, fragility) and the attendances (identity).
TEAM_TYPES = (SubjectType.INITIATIVE, SubjectType.GROUP)
ABOUT_SUBJECTS = Q(subject_type__in=TEAM_TYPES) | Q(
    subject_type=SubjectType.EVENT, kind=ContributionKind.ATTENDED
)
# (subject type, subject id, kind, member id, incubator id, domaine) of such acts.
SubjectAct = tuple[str, int, str, int, int | None, str]


def period_acts(
    lo: datetime.datetime, hi: datetime.datetime
) -> tuple[list[Acts], list[SubjectAct]]:
    """The one scan of the ledger over the whole period (an index covers it): the period's acts
    counted per member, kind and context, and, for the acts about an initiative or a group and
    the attendances, who acted on which subject in which context."""
    queryset = (
        Contribution.objects.filter(at__gte=lo, at__lt=hi, weight=1)
        .order_by()
        .annotate(
            about_type=Case(
                When(ABOUT_SUBJECTS, then=F("subject_type")),
                default=Value(""),
                output_field=CharField(),
            ),
            about_id=Case(
                When(ABOUT_SUBJECTS, then=F("subject_id")),
                default=Value(0),
                output_field=BigIntegerField(),
            ),
        )
        .values_list("member_id", "kind", "incubator_id", "domaine", "about_type", "about_id")
        .annotate(count=Count("*"))
    )
    counts: defaultdict[tuple[int, str, int | None, str], int] = defaultdict(int)
    subjects: list[SubjectAct] = []
    for member_id, kind, incubator_id, domaine, about_type, about_id, count in _rows(queryset):
        counts[(member_id, kind, incubator_id, domaine)] += count
        if about_type:
            subjects.append((about_type, about_id, kind, member_id, incubator_id, domaine))
    return [Acts(*key, count) for key, count in counts.items()], subjects


def _first_starts(member_ids) -> dict:
    """member id → the start of their first mission."""
    starts: dict[int, datetime.date] = {}
    for chunk in _chunks(member_ids):
        starts.update(
            Mission.objects.filter(_among("member_id", chunk))
            .order_by()
            .values("member_id")
            .annotate(first=Min("start"))
            .values_list("member_id", "first")
        )
    return starts


def _chunks(ids):
    """The ids in chunks of CHUNK for SQLite; all at once for PostgreSQL, which `_among` gives
    them to as one parameter."""
    ids = sorted(ids)
    size = (len(ids) or 1) if connection.vendor == "postgresql" else CHUNK
    for offset in range(0, len(ids), size):
        yield ids[offset : offset + size]


class _Among(In):
    """`field IN (ids)`, given to PostgreSQL as `field = ANY(%s)` with the ids as one array
    parameter: building, then splitting, a query of thousands of placeholders cost more than
    running it."""

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", (*lhs_params, list(self.rhs))


def _among(field: str, ids: list[int]) -> _Among:
    return _Among(F(field), ids)


def population(period: Period) -> list[Presence]:
    """Members with a mission overlapping the period, with the incubators of its startups, their
    domaine and the start of their first mission: one query over the period's missions only
    (the first start is one index lookup per mission), however many members came and went
    before it."""
    first = (
        Mission.objects.filter(member_id=OuterRef("member_id")).order_by("start").values("start")
    )
    rows = _rows(
        Mission.objects.filter(start__lte=period.end)
        .filter(Q(end__isnull=True) | Q(end__gte=period.start))
        .order_by()
        .annotate(first=Subquery(first[:1]))
        .values_list("member_id", "startups__incubator_id", "member__domaine", "first")
    )
    # Most members have one incubator, and many share a first day: one object for each.
    days: dict[Any, datetime.date] = {}
    sets: dict[Any, frozenset] = {}
    members: dict[int, tuple[Any, str, Any]] = {}
    for member_id, incubator_id, domaine, start in rows:
        known = members.get(member_id)
        if known is None:
            members[member_id] = ({incubator_id}, domaine, start)
        else:
            known[0].add(incubator_id)
    presences = []
    for member_id, (incubators, domaine, start) in members.items():
        incubators.discard(None)
        key = tuple(sorted(incubators))
        found = sets.get(key)
        if found is None:
            found = sets[key] = frozenset(incubators)
        day = days.get(start)
        if day is None:
            day = days[start] = _day(start)
        presences.append(Presence(member_id, found, domaine, day))
    return presences


def returning(contributors: set[int], lo: datetime.datetime) -> set[int]:
    """The period's contributors who had acted before it: one index lookup per contributor,
    however long their history. Any earlier row counts: a withdrawal follows its act."""
    earlier = Contribution.objects.filter(member_id=OuterRef("pk"), at__lt=lo)
    found = set()
    for chunk in _chunks(contributors):
        found.update(
            Member.objects.filter(_among("pk", chunk))
            .filter(Exists(earlier))
            .order_by()
            .values_list("pk", flat=True)
        )
    return found


def first_steps(starts: dict) -> dict[int, FirstSteps]:
    """The first two acts of each newcomer (member id → first mission start)."""
    mine = Contribution.objects.filter(member_id=OuterRef("pk"), weight=1).order_by("at", "pk")
    steps = {}
    for chunk in _chunks(starts):
        rows = (
            Member.objects.filter(_among("pk", chunk))
            .annotate(
                first_act=Subquery(mine.values("at")[:1]),
                second_act=Subquery(mine.values("at")[1:2]),
            )
            .order_by()
            .values_list("pk", "first_act", "second_act")
        )
        for member_id, first_act, second_act in rows:
            steps[member_id] = FirstSteps(
                member_id, starts[member_id], _local_day(first_act), _local_day(second_act)
            )
    return steps


def carried_and_held(lo, hi, now) -> tuple[list[Carried], list[HeldEvent]]:
    """Initiatives created in the period and events held in it (started by now, not
    cancelled), with the context of their leads and organisers (and of events' attendees)."""
    initiatives = Initiative.objects.filter(created_at__gte=lo, created_at__lt=hi, hidden=False)
    events = Event.objects.filter(
        start__gte=lo, start__lt=min(hi, now), status=EventStatus.SCHEDULED
    )
    initiative_ids = list(initiatives.order_by("pk").values_list("pk", flat=True))
    event_ids = list(events.order_by("pk").values_list("pk", flat=True))
    # One query per kind of subject, each looked up by id: PostgreSQL would scan the whole
    # ledger for an OR of the two.
    rows: list[tuple[str, int, str, int, int | None, str, bool]] = []
    for about, kinds, ids in (
        (SubjectType.INITIATIVE, LEAD_KINDS, initiative_ids),
        (SubjectType.EVENT, [ContributionKind.ORGANISED, ContributionKind.ATTENDED], event_ids),
    ):
        rows += (
            Contribution.objects.filter(
                subject_type=about, subject_id__in=ids, kind__in=kinds, weight=1, at__lt=hi
            )
            .order_by()
            .values_list(
                "subject_type",
                "subject_id",
                "kind",
                "member_id",
                "incubator_id",
                "domaine",
                "is_transverse_role",
            )
            .distinct()
        )
    leads = defaultdict(set)
    transverse = set()
    people = defaultdict(set)
    for subject_type, subject_id, kind, member_id, incubator_id, domaine, is_transverse in rows:
        context = Context(member_id, incubator_id, domaine)
        key = (subject_type, subject_id)
        if subject_type == SubjectType.EVENT:
            people[subject_id].add(context)
        if kind == ContributionKind.ATTENDED:
            continue
        leads[key].add(context)
        if is_transverse:
            transverse.add(key)
    carried = [
        Carried(
            subject_type,
            subject_id,
            (subject_type, subject_id) in transverse,
            tuple(leads[(subject_type, subject_id)]),
        )
        for subject_type, ids in (
            (SubjectType.INITIATIVE, initiative_ids),
            (SubjectType.EVENT, event_ids),
        )
        for subject_id in ids
    ]
    held = [HeldEvent(event_id, tuple(people[event_id])) for event_id in event_ids]
    return carried, held


def _team_titles(ids: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    """(subject type, id) → title of the initiatives (not hidden) and groups among `ids`."""
    titles: dict[tuple[str, int], str] = {}
    for chunk in _chunks(ids[SubjectType.INITIATIVE]):
        titles.update(
            ((SubjectType.INITIATIVE, pk), title)
            for pk, title in Initiative.objects.filter(
                _among("pk", chunk), hidden=False
            ).values_list("pk", "title")
        )
    for chunk in _chunks(ids[SubjectType.GROUP]):
        titles.update(
            ((SubjectType.GROUP, pk), name)
            for pk, name in WorkingGroup.objects.filter(_among("pk", chunk)).values_list(
                "pk", "name"
            )
        )
    return titles


def _team_participants(of_teams: Q, hi: datetime.datetime) -> dict[tuple[str, int], list]:
    """(subject type, id) → who leads or takes part in it at `hi`."""
    lead_net: defaultdict[tuple[str, int, int], int] = defaultdict(int)
    join_net: defaultdict[tuple[str, int, int], int] = defaultdict(int)
    latest = {}
    rows = (
        Contribution.objects.filter(at__lt=hi, kind__in=PARTICIPANT_KINDS)
        .filter(of_teams)
        .order_by("at", "pk")
        .values_list(
            "subject_type",
            "subject_id",
            "member_id",
            "kind",
            "weight",
            "startup_id",
            "incubator_id",
        )
    )
    for subject_type, subject_id, member_id, kind, weight, startup_id, incubator_id in rows:
        key = (subject_type, subject_id, member_id)
        (lead_net if kind in LEAD_KINDS else join_net)[key] += weight
        if weight > 0:
            latest[key] = (startup_id, incubator_id)
    participants = defaultdict(list)
    for key, (startup_id, incubator_id) in latest.items():
        if lead_net[key] > 0 or join_net[key] > 0:
            subject_type, subject_id, member_id = key
            participants[(subject_type, subject_id)].append(
                Participant(member_id, startup_id, incubator_id, lead_net[key] > 0)
            )
    return participants


def teams(acts: list[SubjectAct], hi: datetime.datetime) -> list[Team]:
    """Initiatives (not hidden) and groups with a contribution in the period (`acts`, from
    `period_acts`), and who takes part in each at its end."""
    ids: defaultdict[str, set[int]] = defaultdict(set)
    for subject_type, subject_id, *_rest in acts:
        if subject_type in TEAM_TYPES:
            ids[subject_type].add(subject_id)
    titles = _team_titles(ids)
    active = defaultdict(set)
    for subject_type, subject_id, _kind, member_id, incubator_id, domaine in acts:
        if (subject_type, subject_id) in titles:
            active[(subject_type, subject_id)].add(Context(member_id, incubator_id, domaine))
    by_type = defaultdict(list)
    for subject_type, subject_id in active:
        by_type[subject_type].append(subject_id)
    of_teams = Q()
    for subject_type, subject_ids in by_type.items():
        of_teams |= Q(subject_type=subject_type, subject_id__in=subject_ids)
    participants = _team_participants(of_teams, hi) if active else {}
    return [
        Team(
            subject_type,
            subject_id,
            titles[(subject_type, subject_id)],
            tuple(sorted(participants.get((subject_type, subject_id), ()))),
            tuple(contexts),
        )
        for (subject_type, subject_id), contexts in sorted(active.items())
    ]


def needs(lo, hi) -> list[RaisedNeed]:
    """Needs raised in the period (not hidden), whether an initiative linked to each was in
    progress or done at its end, their « moi aussi » by then, and who raised them."""
    raised = list(
        Need.objects.filter(created_at__gte=lo, created_at__lt=hi, hidden=False)
        .annotate(support_count=Count("supports", filter=Q(supports__created_at__lt=hi)))
        .order_by("pk")
        .values_list("pk", "title", "created_at", "support_count")
    )
    need_ids = [row[0] for row in raised]
    links = list(
        Initiative.needs.through.objects.filter(need_id__in=need_ids, initiative__hidden=False)
        .order_by()
        .values_list("need_id", "initiative_id", "initiative__created_at")
    )
    status = {}
    for initiative_id, to_status in (
        StatusChange.objects.filter(
            initiative_id__in={initiative for _need, initiative, _at in links}, at__lt=hi
        )
        .order_by("at", "pk")
        .values_list("initiative_id", "to_status")
    ):
        status[initiative_id] = to_status
    first_initiative: dict[int, datetime.date] = {}
    addressed = set()
    for need_id, initiative_id, created_at in links:
        day = timezone.localdate(created_at)
        first_initiative[need_id] = min(day, first_initiative.get(need_id, day))
        if status.get(initiative_id) in ADDRESSING:
            addressed.add(need_id)
    raisers = {
        subject_id: Context(member_id, incubator_id, domaine)
        for subject_id, member_id, incubator_id, domaine in Contribution.objects.filter(
            kind=ContributionKind.RAISED_NEED,
            subject_type=SubjectType.NEED,
            subject_id__in=need_ids,
            weight=1,
        )
        .order_by("at", "pk")
        .values_list("subject_id", "member_id", "incubator_id", "domaine")
    }
    return [
        RaisedNeed(
            need_id,
            title,
            timezone.localdate(created_at),
            first_initiative.get(need_id),
            need_id in addressed,
            supports,
            raisers.get(need_id),
        )
        for need_id, title, created_at, supports in raised
    ]


def community_takers(acts: list[SubjectAct]) -> list[Context]:
    """Who attended a community-wide event (of no incubator and no group), or led or joined a
    community-wide initiative, in the period (`acts`, from `period_acts`)."""
    events, initiatives = set(), set()
    for subject_type, subject_id, kind, *_rest in acts:
        if subject_type == SubjectType.EVENT:
            events.add(subject_id)
        elif subject_type == SubjectType.INITIATIVE and kind in PARTICIPANT_KINDS:
            initiatives.add(subject_id)
    wide: set[tuple[str, int]] = set()
    for chunk in _chunks(events):
        wide.update(
            (SubjectType.EVENT, pk)
            for pk in Event.objects.filter(
                _among("pk", chunk), incubator__isnull=True, group__isnull=True
            ).values_list("pk", flat=True)
        )
    for chunk in _chunks(initiatives):
        wide.update(
            (SubjectType.INITIATIVE, pk)
            for pk in Initiative.objects.filter(
                _among("pk", chunk), scope=Scope.COMMUNITY
            ).values_list("pk", flat=True)
        )
    takers = {
        Context(member_id, incubator_id, domaine)
        for subject_type, subject_id, kind, member_id, incubator_id, domaine in acts
        if (subject_type, subject_id) in wide
        and (subject_type == SubjectType.EVENT or kind in PARTICIPANT_KINDS)
    }
    return list(takers)


def rotas(lo, hi) -> list[Rota]:
    """The volunteer slots of recurring events in the period, per event series and task."""
    shifts = list(
        Shift.objects.filter(
            start__gte=lo,
            start__lt=hi,
            event__series__isnull=False,
            event__status=EventStatus.SCHEDULED,
        )
        .order_by("start", "pk")
        .values_list("pk", "event__series_id", "label", "event__title")
    )
    holders = defaultdict(set)
    for shift_id, member_id in ShiftSignup.objects.filter(
        shift_id__in=[row[0] for row in shifts]
    ).values_list("shift_id", "member_id"):
        holders[shift_id].add(member_id)
    tasks: dict[tuple[int, str], dict[str, Any]] = {}
    for shift_id, series_id, label, title in shifts:
        task = tasks.setdefault((series_id, label), {"title": title, "slots": 0, "people": set()})
        task["slots"] += 1
        task["people"] |= holders[shift_id]
    return [
        Rota(task["title"], label, task["slots"], frozenset(task["people"]))
        for (_series, label), task in tasks.items()
    ]


@contextlib.contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL compiles the plan of a query it deems costly before running it (JIT): some
    100 ms each time, more than most of the period's queries take. Off for the period's reads,
    in a transaction of their own so that the setting ends with it."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        yield


def gather(period: Period, *, now: datetime.datetime | None = None) -> PeriodData:
    with _without_jit():
        return _gather(period, now=now)


def _gather(period: Period, *, now: datetime.datetime | None = None) -> PeriodData:
    now = now or timezone.now()
    lo, hi = period.bounds()
    data = PeriodData(period=period, today=timezone.localdate(now))
    data.acts, about_subjects = period_acts(lo, hi)
    data.population = population(period)
    contributors = {a.member_id for a in data.acts}
    data.returning = returning(contributors, lo)
    present = {p.member_id for p in data.population}
    data.first_starts = _first_starts(contributors - present)
    data.first_steps = first_steps(
        {
            p.member_id: p.first_start
            for p in data.population
            if p.first_start is not None and period.contains(p.first_start)
        }
    )
    data.carried, data.events_held = carried_and_held(lo, hi, now)
    data.teams = teams(about_subjects, hi)
    data.needs = needs(lo, hi)
    data.community_takers = community_takers(about_subjects)
    data.rotas = rotas(lo, hi)
    data.incubators = {
        pk: (slug, title)
        for pk, slug, title in Incubator.objects.values_list("pk", "slug", "title")
    }
    return data
