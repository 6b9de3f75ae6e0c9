"""The health metrics, as pure functions over plain data: no database here. `ruche.health.gather`
reads one period's ledger and community into a `PeriodData` with a few aggregate queries; each
function below turns (part of) it into figures, for one segment of the community.

Conventions shared by every metric:
- A contribution is an act of the ledger (a row of weight +1) made in the period. Withdrawing an
  act later (leaving an initiative, taking back a support) is a row of weight -1: it is not a
  contribution, and it does not erase the act, which did happen.
- A member's context (startup, incubator, domaine, transverse role) is the one the ledger copied
  at the time of each act, so a member who changed startup mid-period counts for the first
  incubator before the move and for the second after it.
- A share is None when there is nothing to divide by: the page then says so instead of 0 %.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from ruche.engagement.enums import ContributionKind, SubjectType
from ruche.health.enums import SegmentKind
from ruche.health.periods import Period
from ruche.health.segments import seniority_band

# Acts that carry community life, as opposed to taking part in it.
CARRYING_KINDS = frozenset(
    {
        ContributionKind.LED,
        ContributionKind.CO_LED,
        ContributionKind.ORGANISED,
        ContributionKind.SPOKE,
        ContributionKind.VOLUNTEERED,
        ContributionKind.DECIDED,
    }
)
LEAD_KINDS = frozenset({ContributionKind.LED, ContributionKind.CO_LED})
PARTICIPANT_KINDS = LEAD_KINDS | {ContributionKind.JOINED}
ACTIVATION_DAYS = (30, 90)
RETENTION_DAYS = 90
TOP_NEEDS = 5
FRAGILE_SHOWN = 10


class Context(NamedTuple):
    """Who acted, in the context the ledger copied: enough to tell their segment."""

    member_id: int
    incubator_id: int | None
    domaine: str


class Acts(NamedTuple):
    """`number` acts of one kind that a member made in the period, in one context."""

    member_id: int
    kind: str
    incubator_id: int | None
    domaine: str
    number: int

    @property
    def context(self) -> Context:
        return Context(self.member_id, self.incubator_id, self.domaine)


class Presence(NamedTuple):
    """An active member of the period (a mission of theirs overlaps it): the incubators of the
    startups of those missions, their domaine, when their first mission started."""

    member_id: int
    incubator_ids: frozenset
    domaine: str
    first_start: datetime.date | None


class FirstSteps(NamedTuple):
    """A newcomer: when their first mission started, and the days of their first two acts."""

    member_id: int
    first_start: datetime.date | None
    first_act: datetime.date | None
    second_act: datetime.date | None


@dataclass(frozen=True)
class Carried:
    """An initiative created or an event held in the period: whether one of its leads or
    organisers held a transverse role when they took it on, and the context of each."""

    subject_type: str
    subject_id: int
    transverse: bool
    leads: tuple = ()


class Participant(NamedTuple):
    member_id: int
    startup_id: int | None
    incubator_id: int | None
    is_lead: bool


@dataclass(frozen=True)
class Team:
    """An initiative or a group that had a contribution in the period: the people taking part
    in it at the end of the period (leads and members who joined and did not leave), each in
    the context of their latest act of taking part, and the contexts of the period's acts."""

    subject_type: str
    subject_id: int
    title: str
    participants: tuple = ()
    active: tuple = ()


@dataclass(frozen=True)
class RaisedNeed:
    need_id: int
    title: str
    raised_on: datetime.date
    # The creation day of the first initiative linked to it (None when none is).
    first_initiative_on: datetime.date | None
    # A linked initiative was in progress or done at the end of the period.
    addressed: bool
    supports: int
    raiser: Context | None = None


@dataclass(frozen=True)
class HeldEvent:
    event_id: int
    people: tuple = ()  # contexts of its organisers and attendees


@dataclass(frozen=True)
class Rota:
    """Volunteer slots of one task on one recurring event, in the period."""

    title: str
    label: str
    slots: int
    volunteers: frozenset


@dataclass
class PeriodData:
    """All a period's metrics need, for every segment at once."""

    period: Period
    today: datetime.date
    acts: list = field(default_factory=list)
    population: list = field(default_factory=list)
    # Contributors of the period who had acted before it.
    returning: set = field(default_factory=set)
    # member id → FirstSteps of the period's newcomers (first mission started in it).
    first_steps: dict = field(default_factory=dict)
    # member id → first mission start, for contributors without a mission in the period.
    first_starts: dict = field(default_factory=dict)
    carried: list = field(default_factory=list)
    teams: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    community_takers: list = field(default_factory=list)  # Context of each act of taking part
    events_held: list = field(default_factory=list)
    rotas: list = field(default_factory=list)
    incubators: dict = field(default_factory=dict)  # id → (slug, title)

    @property
    def measured_on(self) -> datetime.date:
        """The day seniority is taken at: the end of the period, or today while it runs."""
        return min(self.period.end, self.today)


@dataclass(frozen=True)
class SegmentFilter:
    """Which acts and members belong to a segment: `values` are incubator ids, domaines or
    seniority bands (several for « autres »); `bands` gives each member's seniority band."""

    kind: str = SegmentKind.ALL
    values: frozenset = frozenset()
    bands: Mapping = field(default_factory=dict)

    def takes(self, context: Context) -> bool:
        if self.kind == SegmentKind.ALL:
            return True
        if self.kind == SegmentKind.INCUBATOR:
            return context.incubator_id in self.values
        if self.kind == SegmentKind.DOMAINE:
            return context.domaine in self.values
        return self.bands.get(context.member_id) in self.values

    def holds(self, presence: Presence) -> bool:
        if self.kind == SegmentKind.ALL:
            return True
        if self.kind == SegmentKind.INCUBATOR:
            return bool(presence.incubator_ids & self.values)
        if self.kind == SegmentKind.DOMAINE:
            return presence.domaine in self.values
        return self.bands.get(presence.member_id) in self.values


EVERYONE = SegmentFilter()


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def smallest_set_reaching(counts: Iterable[int], fraction: float) -> int | None:
    """How many of the largest counts it takes for their sum to reach `fraction` of the
    total; None when the total is zero."""
    ordered = sorted((count for count in counts if count > 0), reverse=True)
    total = sum(ordered)
    if not total:
        return None
    running = 0
    for taken, count in enumerate(ordered, start=1):
        running += count
        if running >= fraction * total:
            return taken
    return len(ordered)  # unreachable: the whole always reaches a fraction ≤ 1


# --- 1. Participation ---------------------------------------------------------------------------


def participation(acts: list, population: list, returning: set, period: Period) -> dict:
    """Active members are those with a mission overlapping the period; contributors, the
    members with at least one contribution in it. The participation rate is the share of
    active members who contributed. A new contributor's first act ever falls in the period;
    the other contributors are returning."""
    contributors = set()
    by_kind: defaultdict[str, int] = defaultdict(int)
    for member_id, kind, _incubator, _domaine, count in acts:
        contributors.add(member_id)
        by_kind[kind] += count
    active = {p.member_id for p in population}
    new = contributors - returning
    return {
        "active_members": len(active),
        "contributors": len(contributors),
        "active_contributors": len(contributors & active),
        "rate": share(len(contributors & active), len(active)),
        "contributions": sum(by_kind.values()),
        "by_kind": {kind: by_kind[kind] for kind in ContributionKind.values if by_kind.get(kind)},
        "new_contributors": len(new),
        "returning_contributors": len(contributors) - len(new),
    }


# --- 2. Newcomers -------------------------------------------------------------------------------


def newcomers(steps: list, today: datetime.date) -> dict:
    """Newcomers of the period: members whose first mission started in it. Activation at N
    days: the share of newcomers whose first act came within N days of that start (an act
    before it counts too), over the newcomers whose start + N days is already past (the others
    are not measurable yet). Retention: the share of newcomers activated within 90 days who
    acted a second time within 90 days of their first act, over those whose first act + 90
    days is past. The median delay is over the newcomers who have acted so far."""
    figures: dict[str, object] = {"newcomers": len(steps)}
    delays = {
        s.member_id: (s.first_act - s.first_start).days for s in steps if s.first_act is not None
    }

    def acted_within(steps: FirstSteps, days: int) -> bool:
        delay = delays.get(steps.member_id)
        return delay is not None and delay <= days

    def past(day: datetime.date, days: int) -> bool:
        return day < today - datetime.timedelta(days=days)

    for days in ACTIVATION_DAYS:
        measurable = [s for s in steps if past(s.first_start, days)]
        activated = [s for s in measurable if acted_within(s, days)]
        figures[f"activated_{days}"] = {
            "measurable": len(measurable),
            "not_yet_measurable": len(steps) - len(measurable),
            "activated": len(activated),
            "share": share(len(activated), len(measurable)),
        }
    longest = ACTIVATION_DAYS[-1]
    activated = [s for s in steps if past(s.first_start, longest) and acted_within(s, longest)]
    measurable = [s for s in activated if past(s.first_act, RETENTION_DAYS)]
    retained = [
        s
        for s in measurable
        if s.second_act is not None and (s.second_act - s.first_act).days <= RETENTION_DAYS
    ]
    figures["retention"] = {
        "measurable": len(measurable),
        "not_yet_measurable": len(activated) - len(measurable),
        "retained": len(retained),
        "share": share(len(retained), len(measurable)),
    }
    figures["median_days_to_first"] = (
        statistics.median(max(delay, 0) for delay in delays.values()) if delays else None
    )
    return figures


# --- 3. Concentration ---------------------------------------------------------------------------


def onion(per_member: Mapping) -> dict:
    """CHAOSS's onion over all contributions: members sorted by their count, largest first
    (ties by member id, so the split is the same every time); core is the smallest top set
    reaching 80 % of the contributions, regular the next members up to 95 %, casual the rest."""
    # Which member comes first among ties does not change the layers' sizes: the counts alone,
    # largest first, give them.
    ordered = sorted(per_member.values(), reverse=True)
    total = sum(ordered)
    layers = {"core": 0, "regular": 0, "casual": 0}
    running = 0
    for count in ordered:
        if running * 100 < 80 * total:
            layers["core"] += 1
        elif running * 100 < 95 * total:
            layers["regular"] += 1
        else:
            layers["casual"] += 1
        running += count
    return layers


def concentration(acts: list, teams: list, rotas: list) -> dict:
    """Contributor absence factor (CHAOSS): members sorted by their count of carrying acts in
    the period (led, co-led, organised, spoke, volunteered, decided), the fewest whose acts
    reach half of all carrying acts — how many people would have to step back for half of
    what is carried to stop. Fragile: the initiatives active in the period led by one person
    only, and the volunteer tasks of a recurring event whose slots of the period were all held
    by the same person."""
    carrying: defaultdict[int, int] = defaultdict(int)
    everything: defaultdict[int, int] = defaultdict(int)
    for member_id, kind, _incubator, _domaine, count in acts:
        everything[member_id] += count
        if kind in CARRYING_KINDS:
            carrying[member_id] += count
    fragile = sorted(
        (
            {"id": team.subject_id, "title": team.title}
            for team in teams
            if team.subject_type == SubjectType.INITIATIVE
            and sum(1 for p in team.participants if p.is_lead) == 1
        ),
        key=lambda item: (item["title"], item["id"]),
    )
    fragile_rotas = sorted(
        (
            {"title": rota.title, "label": rota.label, "slots": rota.slots}
            for rota in rotas
            if rota.slots >= 2 and len(rota.volunteers) == 1
        ),
        key=lambda item: (-item["slots"], item["title"], item["label"]),
    )
    return {
        "carrying_contributions": sum(carrying.values()),
        "carriers": len(carrying),
        "absence_factor": smallest_set_reaching(carrying.values(), 0.5),
        **onion(everything),
        "fragile_initiatives": len(fragile),
        "fragile_initiatives_list": fragile[:FRAGILE_SHOWN],
        "fragile_rotas": len(fragile_rotas),
        "fragile_rotas_list": fragile_rotas[:FRAGILE_SHOWN],
    }


# --- 4. Load on transverse roles ----------------------------------------------------------------


def transverse_load(carried: list) -> dict:
    """Among the initiatives created and the events held in the period, the share with at
    least one lead or organiser who held a transverse role (today, the animation team) at the
    time: when it stays high, community life rests on the people paid to support it."""
    with_transverse = sum(1 for item in carried if item.transverse)
    return {
        "initiatives": sum(1 for item in carried if item.subject_type == SubjectType.INITIATIVE),
        "events": sum(1 for item in carried if item.subject_type == SubjectType.EVENT),
        "with_transverse": with_transverse,
        "share": share(with_transverse, len(carried)),
    }


# --- 5. Cohesion --------------------------------------------------------------------------------


def cohesion(teams: list, acts: list, incubators: Mapping, incubator_sizes: Mapping) -> dict:
    """Among the initiatives and groups with at least two participants that had a contribution
    in the period, the share whose participants came from at least two startups, and from at
    least two incubators (each participant in the context of their act of taking part).
    Elephant factor: incubators sorted by their contributions in the period, the fewest that
    reach half of them. Quiet incubators: those with at least five members here and no
    contribution in the period."""
    shared = [team for team in teams if len({p.member_id for p in team.participants}) >= 2]
    startups = sum(
        1 for team in shared if len({p.startup_id for p in team.participants} - {None}) >= 2
    )
    across = sum(
        1 for team in shared if len({p.incubator_id for p in team.participants} - {None}) >= 2
    )
    per_incubator: defaultdict[int, int] = defaultdict(int)
    for _member, _kind, incubator_id, _domaine, count in acts:
        if incubator_id is not None:
            per_incubator[incubator_id] += count
    quiet = sorted(
        incubators.get(incubator, "?")
        for incubator, size in incubator_sizes.items()
        if size >= 5 and not per_incubator.get(incubator)
    )
    return {
        "teams": len(shared),
        "across_startups": startups,
        "share_startups": share(startups, len(shared)),
        "across_incubators": across,
        "share_incubators": share(across, len(shared)),
        "elephant_factor": smallest_set_reaching(per_incubator.values(), 0.5),
        "incubators_contributing": len(per_incubator),
        "quiet_incubators": len(quiet),
        "quiet_incubators_list": quiet,
    }


# --- 6. Fit of solutions to problems ------------------------------------------------------------


def fit(needs: list) -> dict:
    """Needs raised in the period; the share of them with a linked initiative in progress or
    done at the end of the period; the median days from a need being raised to the creation of
    its first linked initiative (0 when an existing initiative was linked); the unaddressed
    needs most members said « moi aussi » to."""
    addressed = [need for need in needs if need.addressed]
    delays = [
        max((need.first_initiative_on - need.raised_on).days, 0)
        for need in needs
        if need.first_initiative_on is not None
    ]
    waiting = sorted(
        (need for need in needs if not need.addressed),
        key=lambda need: (-need.supports, need.raised_on, need.need_id),
    )
    return {
        "needs": len(needs),
        "addressed": len(addressed),
        "share": share(len(addressed), len(needs)),
        "median_days_to_initiative": statistics.median(delays) if delays else None,
        "top_unaddressed": [
            {"id": need.need_id, "title": need.title, "supports": need.supports}
            for need in waiting[:TOP_NEEDS]
        ],
    }


# --- 7. Identity --------------------------------------------------------------------------------


def identity(takers: list, population: list, events_held: list, acts: list) -> dict:
    """Members who attended a community-wide event (one of no incubator and no group) or took
    part in a community-wide initiative (leading or joining it) in the period, and their share
    of active members; events held in the period; members who attended at least one event."""
    members = {context.member_id for context in takers}
    active = {p.member_id for p in population}
    attended = ContributionKind.ATTENDED
    attendees = {member_id for member_id, kind, *_rest in acts if kind == attended}
    return {
        "members": len(members),
        "share": share(len(members & active), len(active)),
        "events_held": len(events_held),
        "attendees": len(attendees),
    }


# --- A period and a segment ---------------------------------------------------------------------


def bands_of(data: PeriodData) -> dict:
    """member id → seniority band at the day the period is measured on."""
    on = data.measured_on
    starts = {**data.first_starts, **{p.member_id: p.first_start for p in data.population}}
    # Tens of thousands of members, a few thousand first days: one band per day.
    by_start = {start: seniority_band(start, on) for start in set(starts.values())}
    return {member: by_start[start] for member, start in starts.items()}


@dataclass
class Slice:
    """A segment's part of a period's data."""

    acts: list = field(default_factory=list)
    population: list = field(default_factory=list)
    arrivals: list = field(default_factory=list)  # FirstSteps of the newcomers
    teams: list = field(default_factory=list)
    carried: list = field(default_factory=list)
    needs: list = field(default_factory=list)
    takers: list = field(default_factory=list)
    events: list = field(default_factory=list)
    rotas: list = field(default_factory=list)

    @property
    def members(self) -> set:
        """Who is in the segment in the period: active there, or contributing there."""
        return {a.member_id for a in self.acts} | {p.member_id for p in self.population}


def arrivals_of(data: PeriodData) -> dict:
    """member id → FirstSteps of the period's newcomers: active members whose first mission
    started in it."""
    active = {p.member_id for p in data.population}
    return {
        member_id: steps
        for member_id, steps in data.first_steps.items()
        if member_id in active
        and steps.first_start is not None
        and data.period.contains(steps.first_start)
    }


def slice_of(data: PeriodData, segment: SegmentFilter) -> Slice:
    """The segment's acts and active members, and what they are part of: the initiatives and
    groups where they acted, the initiatives and events they led or organised, the needs they
    raised, the events they came to. The volunteer rotas are the whole community's only: a
    task is not in a segment."""
    if segment is EVERYONE:
        return Slice(
            data.acts,
            data.population,
            list(arrivals_of(data).values()),
            data.teams,
            data.carried,
            data.needs,
            data.community_takers,
            data.events_held,
            data.rotas,
        )
    takes = segment.takes
    population = [p for p in data.population if segment.holds(p)]
    arrivals = arrivals_of(data)
    return Slice(
        acts=[a for a in data.acts if takes(a.context)],
        population=population,
        arrivals=[arrivals[p.member_id] for p in population if p.member_id in arrivals],
        teams=[team for team in data.teams if any(map(takes, team.active))],
        carried=[item for item in data.carried if any(map(takes, item.leads))],
        needs=[need for need in data.needs if need.raiser is not None and takes(need.raiser)],
        takers=[context for context in data.community_takers if takes(context)],
        events=[event for event in data.events_held if any(map(takes, event.people))],
    )


def figures(data: PeriodData, part: Slice) -> dict:
    """Every metric of the period, over one segment's part of it."""
    incubator_sizes: defaultdict[int, int] = defaultdict(int)
    for p in part.population:
        for incubator in p.incubator_ids:
            incubator_sizes[incubator] += 1
    titles = {pk: title for pk, (_slug, title) in data.incubators.items()}
    return {
        "participation": participation(part.acts, part.population, data.returning, data.period),
        "newcomers": newcomers(part.arrivals, data.today),
        "concentration": concentration(part.acts, part.teams, part.rotas),
        "transverse_load": transverse_load(part.carried),
        "cohesion": cohesion(part.teams, part.acts, titles, incubator_sizes),
        "fit": fit(part.needs),
        "identity": identity(part.takers, part.population, part.events, part.acts),
    }


def compute(data: PeriodData, segment: SegmentFilter = EVERYONE) -> dict:
    """Every metric of the period, for one segment."""
    return figures(data, slice_of(data, segment))
