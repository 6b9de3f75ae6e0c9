"""A period read from the database: the ledger (with the context it copied at each act), the
missions, and the initiatives, needs and events the metrics are about, on a small community
whose figures are worked out by hand."""

import datetime

import pytest
from django.utils import timezone

from ruche.engagement.enums import ContributionKind as Kind
from ruche.engagement.enums import SubjectType
from ruche.engagement.services import record
from ruche.events.enums import EventStatus
from ruche.events.models import EventSeries
from ruche.health.enums import PeriodKind
from ruche.health.gather import gather
from ruche.health.metrics import compute
from ruche.health.periods import Period
from ruche.initiatives.enums import InitiativeStatus, Scope
from ruche.initiatives.models import NeedSupport, StatusChange
from tests.events.factories import EventFactory, ShiftFactory, ShiftSignupFactory
from tests.factories import IncubatorFactory, MemberFactory, MissionFactory, StartupFactory
from tests.helpers import ANIMATION_TEAM
from tests.initiatives.factories import InitiativeFactory, NeedFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
# A whole month, long enough ago for every newcomer of it to be measurable.
PERIOD = Period.containing(PeriodKind.MONTH, TODAY - datetime.timedelta(days=250))


def on(day: int, hour: int = 12) -> datetime.datetime:
    """A moment of the period's `day`-th day (1 is its first)."""
    date = PERIOD.start + datetime.timedelta(days=day - 1)
    return datetime.datetime.combine(
        date, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def member_of(startup, start, end=None, **extra):
    member = MemberFactory(mission=False, **extra)
    MissionFactory(member=member, start=start, end=end, startups=[startup])
    return member


@pytest.fixture
def community():
    north, south = IncubatorFactory(title="Nord"), IncubatorFactory(title="Sud")
    alpha = StartupFactory(incubator=north)
    beta = StartupFactory(incubator=north)
    gamma = StartupFactory(incubator=south)
    long_ago = PERIOD.start - datetime.timedelta(days=800)
    people = {
        "ada": member_of(alpha, long_ago),
        "bob": member_of(beta, long_ago),
        "cy": member_of(gamma, long_ago, transverse_role=ANIMATION_TEAM),
        "idle": member_of(gamma, long_ago),
        # Left before the period, but still comes to events.
        "alum": member_of(alpha, long_ago, end=PERIOD.start - datetime.timedelta(days=30)),
    }
    # Moves from alpha (north) to gamma (south) on the 15th.
    mover = MemberFactory(mission=False)
    MissionFactory(member=mover, start=long_ago, end=on(14).date(), startups=[alpha])
    MissionFactory(member=mover, start=on(15).date(), startups=[gamma])
    people["mover"] = mover
    # Arrives on the 3rd, acts on the 10th.
    people["new"] = member_of(beta, on(3).date())
    # Acted before the period: a returning contributor.
    record(
        member=people["ada"],
        kind=Kind.SUPPORTED,
        subject_type="need",
        subject_id=1,
        at=on(1) - datetime.timedelta(days=90),
    )
    return {"north": north, "south": south, **people}


def act(member, kind, subject, at, **extra):
    subject_type = {
        "Initiative": SubjectType.INITIATIVE,
        "Event": SubjectType.EVENT,
        "Need": SubjectType.NEED,
        "Shift": SubjectType.SHIFT,
    }[type(subject).__name__]
    return record(
        member=member, kind=kind, subject_type=subject_type, subject_id=subject.pk, at=at, **extra
    )


def test_participation_newcomers_and_the_move_between_incubators(community):
    c = community
    initiative = InitiativeFactory(lead=c["ada"], created_at=on(2))
    act(c["ada"], Kind.LED, initiative, on(2))
    act(c["bob"], Kind.JOINED, initiative, on(4))
    act(c["bob"], Kind.JOINED, initiative, on(5), undo=True)  # left: the join still happened
    act(c["mover"], Kind.JOINED, initiative, on(10))  # still in the north
    act(c["mover"], Kind.COMMENTED, initiative, on(20))  # now in the south
    act(c["new"], Kind.SUPPORTED, initiative, on(10))
    event = EventFactory(start=on(12, 18), created_by=c["cy"])
    act(c["alum"], Kind.ATTENDED, event, on(12, 20))

    data = gather(PERIOD)
    everyone = compute(data)

    participation = everyone["participation"]
    # Active: ada, bob, cy, idle, mover, new (the alumnus left before the period).
    assert participation["active_members"] == 6
    assert participation["contributors"] == 5
    assert participation["active_contributors"] == 4
    assert participation["rate"] == round(4 / 6, 4)
    assert participation["contributions"] == 6  # the withdrawal is not a contribution
    assert participation["new_contributors"] == 4  # all but ada, who acted before
    assert participation["by_kind"] == {
        "led": 1,
        "joined": 2,
        "commented": 1,
        "supported": 1,
        "attended": 1,
    }
    newcomers = everyone["newcomers"]
    assert newcomers["newcomers"] == 1
    assert newcomers["activated_30"]["share"] == 1.0
    assert newcomers["median_days_to_first"] == 7
    # The mover's acts count where they were at the time.
    contexts = {(a.member_id, a.kind): a.incubator_id for a in data.acts}
    assert contexts[(c["mover"].pk, Kind.JOINED)] == c["north"].pk
    assert contexts[(c["mover"].pk, Kind.COMMENTED)] == c["south"].pk
    mover = next(p for p in data.population if p.member_id == c["mover"].pk)
    assert mover.incubator_ids == {c["north"].pk, c["south"].pk}


def test_transverse_load_cohesion_and_fragile_initiatives(community):
    c = community
    by_team = InitiativeFactory(lead=c["cy"], created_at=on(3))
    act(c["cy"], Kind.LED, by_team, on(3))
    act(c["ada"], Kind.JOINED, by_team, on(6))  # north + south: crosses incubators
    by_member = InitiativeFactory(lead=c["ada"], created_at=on(5))
    act(c["ada"], Kind.LED, by_member, on(5))
    act(c["bob"], Kind.CO_LED, by_member, on(7))  # two startups of the same incubator
    held = EventFactory(start=on(8, 18), created_by=c["bob"])
    act(c["bob"], Kind.ORGANISED, held, on(1))
    cancelled = EventFactory(start=on(9, 18), created_by=c["cy"], status=EventStatus.CANCELLED)
    act(c["cy"], Kind.ORGANISED, cancelled, on(1))

    everyone = compute(gather(PERIOD))

    # Two initiatives created and one event held; the animation team led one initiative.
    assert everyone["transverse_load"] == {
        "initiatives": 2,
        "events": 1,
        "with_transverse": 1,
        "share": round(1 / 3, 4),
    }
    cohesion = everyone["cohesion"]
    assert cohesion["teams"] == 2
    assert cohesion["share_startups"] == 1.0
    assert cohesion["share_incubators"] == 0.5
    assert everyone["concentration"]["fragile_initiatives_list"] == [
        {"id": by_team.pk, "title": by_team.title}
    ]


def test_fit_of_needs_raised_in_the_period(community):
    c = community
    answered = NeedFactory(author=c["ada"], created_at=on(2), title="Pas de salle")
    waiting = NeedFactory(author=c["bob"], created_at=on(4), title="Pas de badge")
    NeedFactory(author=c["bob"], created_at=on(4), hidden=True)  # moderated away
    for member in (c["cy"], c["idle"]):
        NeedSupport.objects.create(need=waiting, member=member, created_at=on(5))
    initiative = InitiativeFactory(lead=c["cy"], created_at=on(6), needs=[answered])
    StatusChange.objects.create(
        initiative=initiative,
        at=on(20),
        from_status=InitiativeStatus.IDEA,
        to_status=InitiativeStatus.IN_PROGRESS,
    )
    # Done after the period: at its end, it was in progress.
    StatusChange.objects.create(
        initiative=initiative,
        at=on(40),
        from_status=InitiativeStatus.IN_PROGRESS,
        to_status=InitiativeStatus.DONE,
    )

    fit = compute(gather(PERIOD))["fit"]

    assert fit["needs"] == 2
    assert fit["addressed"] == 1
    assert fit["median_days_to_initiative"] == 4
    assert fit["top_unaddressed"] == [{"id": waiting.pk, "title": "Pas de badge", "supports": 2}]


def test_identity_counts_community_wide_moments_only(community):
    c = community
    community_event = EventFactory(start=on(8, 18), created_by=c["cy"])
    incubator_event = EventFactory(start=on(9, 18), created_by=c["cy"], incubator=c["north"])
    act(c["ada"], Kind.ATTENDED, community_event, on(8, 20))
    act(c["alum"], Kind.ATTENDED, community_event, on(8, 20))
    act(c["bob"], Kind.ATTENDED, incubator_event, on(9, 20))
    open_to_all = InitiativeFactory(lead=c["cy"], scope=Scope.COMMUNITY, created_at=on(1))
    local = InitiativeFactory(lead=c["cy"], scope=Scope.INCUBATOR, created_at=on(1))
    act(c["idle"], Kind.SUPPORTED, open_to_all, on(3))  # supporting is not taking part
    act(c["mover"], Kind.JOINED, open_to_all, on(3))
    act(c["new"], Kind.JOINED, local, on(11))

    identity = compute(gather(PERIOD))["identity"]

    # ada, the alumnus and the mover took part in community-wide moments.
    assert identity["members"] == 3
    assert identity["share"] == round(2 / 6, 4)
    assert identity["events_held"] == 2
    assert identity["attendees"] == 3


def test_a_rota_held_by_one_person(community):
    c = community
    series = EventSeries.objects.create(rrule="FREQ=WEEKLY", dtstart=on(2, 9), created_by=c["cy"])
    for day in (2, 9, 16):
        event = EventFactory(
            title="Café du mardi",
            start=on(day, 9),
            created_by=c["cy"],
            series=series,
            recurrence_id=on(day, 9),
        )
        ShiftSignupFactory(shift=ShiftFactory(event=event), member=c["bob"])

    rotas = compute(gather(PERIOD))["concentration"]["fragile_rotas_list"]

    assert rotas == [{"title": "Café du mardi", "label": "préparer le café", "slots": 3}]


def test_an_empty_period():
    everyone = compute(gather(PERIOD))

    assert everyone["participation"]["rate"] is None
    assert everyone["concentration"]["absence_factor"] is None
    assert everyone["cohesion"]["elephant_factor"] is None
    assert everyone["fit"]["needs"] == 0
