"""Each metric on a hand-built ledger, with the expected figures worked out in the test. No
database: the metrics are pure functions over plain data."""

import datetime

from ruche.health.enums import PeriodKind, SegmentKind
from ruche.health.metrics import (
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
    SegmentFilter,
    Team,
    cohesion,
    compute,
    concentration,
    fit,
    identity,
    newcomers,
    onion,
    participation,
    smallest_set_reaching,
    transverse_load,
)
from ruche.health.periods import Period

MARCH = Period.containing(PeriodKind.MONTH, datetime.date(2026, 3, 10))
I1, I2, I3 = 101, 102, 103


def day(month: int, number: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, number)


LONG_AGO = datetime.date(2020, 1, 1)


def present(member_id, *incubators, domaine="design", first_start=LONG_AGO):
    return Presence(member_id, frozenset(incubators), domaine, first_start)


def acts(member_id, kind, count=1, incubator=I1, domaine="design"):
    return Acts(member_id, kind, incubator, domaine, count)


def steps(member_id, first_start, first_act=None, second_act=None):
    return FirstSteps(member_id, first_start, first_act, second_act)


# --- Participation ------------------------------------------------------------------------------


def test_the_participation_rate_counts_active_members_who_contributed():
    population = [present(1), present(2), present(3), present(4)]
    ledger = [
        acts(1, "joined", 2),
        acts(2, "supported"),
        acts(5, "attended"),  # an alumnus: a contributor, but not an active member
    ]
    # 1 and the alumnus had acted before March; 2 acted for the first time.
    figures = participation(ledger, population, {1, 5}, MARCH)

    assert figures == {
        "active_members": 4,
        "contributors": 3,
        "active_contributors": 2,
        "rate": 0.5,
        "contributions": 4,
        "by_kind": {"joined": 2, "supported": 1, "attended": 1},
        "new_contributors": 1,
        "returning_contributors": 2,
    }


def test_an_empty_period_has_no_rate_rather_than_zero():
    figures = participation([], [], set(), MARCH)

    assert figures["rate"] is None
    assert figures["contributors"] == figures["contributions"] == 0
    assert figures["by_kind"] == {}


def test_a_community_of_one_who_acted_has_a_full_rate():
    figures = participation([acts(1, "commented")], [present(1)], set(), MARCH)

    assert figures["rate"] == 1.0
    assert figures["new_contributors"] == 1


# --- Newcomers ----------------------------------------------------------------------------------

# A: acts 9 days after starting, again 22 days later. B: first act after 76 days. C: never acts.
# D: acted 6 days before their mission started, never again.
ARRIVALS = [
    steps("A", day(3, 1), day(3, 10), day(4, 1)),
    steps("B", day(3, 5), day(5, 20)),
    steps("C", day(3, 20)),
    steps("D", day(3, 31), day(3, 25)),
]


def test_newcomers_activation_and_retention_once_everyone_is_measurable():
    figures = newcomers(ARRIVALS, today=day(7, 15))

    assert figures["newcomers"] == 4
    # Within 30 days: A (9 days) and D (before starting); B took 76 days, C never acted.
    assert figures["activated_30"] == {
        "measurable": 4,
        "not_yet_measurable": 0,
        "activated": 2,
        "share": 0.5,
    }
    assert figures["activated_90"] == {
        "measurable": 4,
        "not_yet_measurable": 0,
        "activated": 3,
        "share": 0.75,
    }
    # Activated at 90 days: A, B, D. B's first act + 90 days (18 August) is not past yet; A
    # acted again within 90 days, D did not.
    assert figures["retention"] == {
        "measurable": 2,
        "not_yet_measurable": 1,
        "retained": 1,
        "share": 0.5,
    }
    # Delays 9, 76 and 0 (D's act before the start counts as 0); C has not acted.
    assert figures["median_days_to_first"] == 9


def test_newcomers_of_a_recent_period_are_not_measurable_yet():
    figures = newcomers(ARRIVALS, today=day(4, 15))

    # 30 days after their start is past for A (31 March) and B (4 April) only.
    assert figures["activated_30"] == {
        "measurable": 2,
        "not_yet_measurable": 2,
        "activated": 1,
        "share": 0.5,
    }
    assert figures["activated_90"]["share"] is None
    assert figures["activated_90"]["not_yet_measurable"] == 4
    assert figures["retention"]["measurable"] == 0


def test_a_period_without_newcomers():
    figures = newcomers([], today=day(7, 15))

    assert figures["newcomers"] == 0
    assert figures["activated_30"]["share"] is None
    assert figures["median_days_to_first"] is None


# --- Concentration ------------------------------------------------------------------------------


def test_the_absence_factor_is_the_fewest_people_carrying_half():
    ledger = [
        acts(1, "organised", 3),
        acts(2, "led", 2),
        acts(2, "volunteered", 1),
        acts(3, "spoke", 2),
        acts(4, "supported", 9),  # not a carrying act
    ]

    figures = concentration(ledger, [], [])

    # Carrying acts 3, 3 and 2 (8 in all): the first person has 3 < 4, the first two 6 ≥ 4.
    assert figures["carrying_contributions"] == 8
    assert figures["carriers"] == 3
    assert figures["absence_factor"] == 2


def test_reaching_exactly_half_is_enough_at_a_tie():
    assert smallest_set_reaching([2, 2], 0.5) == 1
    assert smallest_set_reaching([2, 2, 2, 2], 0.5) == 2
    assert smallest_set_reaching([], 0.5) is None


def test_one_person_carrying_everything_is_an_absence_factor_of_one():
    figures = concentration([acts(7, "organised", 5)], [], [])

    assert figures["absence_factor"] == 1
    assert (figures["core"], figures["regular"], figures["casual"]) == (1, 0, 0)


def test_the_onion_splits_at_80_and_95_percent():
    # 20 contributions: 12 + 4 = 16 is 80 % (core), + 3 = 19 is 95 % (regular), 1 casual.
    layers = onion({1: 12, 2: 4, 3: 3, 4: 1})

    assert layers == {"core": 2, "regular": 1, "casual": 1}


def test_the_onion_is_the_same_whatever_the_order_of_tied_members():
    assert onion({5: 2, 1: 2, 9: 1, 3: 5}) == onion({3: 5, 9: 1, 1: 2, 5: 2})
    assert onion({}) == {"core": 0, "regular": 0, "casual": 0}


def test_fragile_initiatives_and_rotas():
    def team(pk, leads, joined=(), subject_type="initiative"):
        people = [Participant(m, None, None, True) for m in leads]
        people += [Participant(m, None, None, False) for m in joined]
        return Team(subject_type, pk, f"Initiative {pk}", tuple(people))

    teams = [
        team(1, leads=[10], joined=[11, 12]),  # one lead, however many joined: fragile
        team(2, leads=[10, 13]),
        team(3, leads=[14], subject_type="group"),  # a group is not an initiative
    ]
    rotas = [
        Rota("Café du mardi", "préparer le café", 4, frozenset({10})),
        Rota("Café du mardi", "accueil", 1, frozenset({11})),  # a single slot is no rota
        Rota("Apéro", "bar", 3, frozenset({11, 12})),
    ]

    figures = concentration([], teams, rotas)

    assert figures["fragile_initiatives"] == 1
    assert figures["fragile_initiatives_list"] == [{"id": 1, "title": "Initiative 1"}]
    assert figures["fragile_rotas"] == 1
    assert figures["fragile_rotas_list"] == [
        {"title": "Café du mardi", "label": "préparer le café", "slots": 4}
    ]


# --- Transverse load ----------------------------------------------------------------------------


def test_the_transverse_load_is_the_share_of_initiatives_and_events_with_a_transverse_lead():
    carried = [
        Carried("initiative", 1, transverse=True),
        Carried("initiative", 2, transverse=False),
        Carried("event", 1, transverse=True),
        Carried("event", 2, transverse=False),
        Carried("event", 3, transverse=False),
    ]

    figures = transverse_load(carried)

    assert figures == {"initiatives": 2, "events": 3, "with_transverse": 2, "share": 0.4}


def test_no_initiative_nor_event_means_no_load_to_judge():
    assert transverse_load([])["share"] is None


# --- Cohesion -----------------------------------------------------------------------------------


def test_cohesion_across_startups_and_incubators():
    def people(*startups):
        # (startup, incubator) of each participant, in the context of their act of joining.
        return tuple(
            Participant(number, startup, incubator, number == 0)
            for number, (startup, incubator) in enumerate(startups)
        )

    teams = [
        Team("initiative", 1, "", people((1, I1), (2, I1))),  # two startups, one incubator
        Team("initiative", 2, "", people((1, I1), (3, I2))),  # two of each
        Team("group", 3, "", people((1, I1), (1, I1))),  # one startup
        Team("initiative", 4, "", people((1, I1))),  # alone: not counted
    ]

    figures = cohesion(teams, [], {}, {})

    assert figures["teams"] == 3
    assert figures["across_startups"] == 2
    assert figures["share_startups"] == 0.6667
    assert figures["across_incubators"] == 1
    assert figures["share_incubators"] == 0.3333


def test_the_elephant_factor_and_quiet_incubators():
    ledger = [
        acts(1, "joined", 3, incubator=I1),
        acts(2, "joined", 3, incubator=I2),
        acts(3, "joined", 2, incubator=I3),
        acts(4, "joined", 2, incubator=None),  # no incubator: not in the elephant factor
    ]
    titles = {I1: "Un", I2: "Deux", I3: "Trois", 104: "Quatre", 105: "Cinq"}
    sizes = {I1: 8, 104: 6, 105: 4}

    figures = cohesion([], ledger, titles, sizes)

    # 3, 3, 2 of 8: the first incubator has 3 < 4, the first two 6 ≥ 4.
    assert figures["elephant_factor"] == 2
    assert figures["incubators_contributing"] == 3
    # « Cinq » has no contribution either, but fewer than five members: it is not named.
    assert figures["quiet_incubators_list"] == ["Quatre"]


# --- Fit ----------------------------------------------------------------------------------------


def test_fit_of_initiatives_to_needs():
    needs = [
        RaisedNeed(1, "Salle", day(3, 1), day(3, 11), addressed=True, supports=2),
        # Linked to an initiative that existed before: 0 days; it is not under way yet.
        RaisedNeed(2, "Badge", day(3, 5), day(3, 1), addressed=False, supports=4),
        RaisedNeed(3, "Wifi", day(3, 10), None, addressed=False, supports=7),
        RaisedNeed(4, "Café", day(3, 12), None, addressed=False, supports=4),
    ]

    figures = fit(needs)

    assert figures["needs"] == 4
    assert figures["addressed"] == 1
    assert figures["share"] == 0.25
    assert figures["median_days_to_initiative"] == 5
    assert [need["title"] for need in figures["top_unaddressed"]] == ["Wifi", "Badge", "Café"]
    assert figures["top_unaddressed"][0] == {"id": 3, "title": "Wifi", "supports": 7}


def test_no_need_raised():
    figures = fit([])

    assert figures["share"] is None
    assert figures["median_days_to_initiative"] is None
    assert figures["top_unaddressed"] == []


# --- Identity -----------------------------------------------------------------------------------


def test_identity_counts_members_at_community_wide_moments():
    takers = [
        Context(1, I1, "design"),
        Context(1, I1, "design"),  # the same member twice
        Context(2, I2, "data"),
        Context(9, None, "data"),  # an alumnus: counted, but not in the share of active members
    ]
    population = [present(1), present(2), present(3), present(4)]
    ledger = [acts(1, "attended", 2), acts(3, "attended"), acts(4, "registered")]

    figures = identity(takers, population, [HeldEvent(1), HeldEvent(2)], ledger)

    assert figures == {"members": 3, "share": 0.5, "events_held": 2, "attendees": 2}


# --- A whole period, for a segment --------------------------------------------------------------


def test_a_member_who_moved_incubator_mid_period_counts_in_each_for_what_they_did_there():
    data = PeriodData(period=MARCH, today=day(4, 20))
    data.population = [present(7, I1, I2), present(8, I1), present(9, I2)]
    data.acts = [
        acts(7, "joined", 2, incubator=I1),  # before the move
        acts(7, "supported", 1, incubator=I2),  # after it
        acts(8, "commented", 1, incubator=I1),
    ]
    data.returning = {7, 8, 9}

    first = compute(data, SegmentFilter(SegmentKind.INCUBATOR, frozenset({I1})))
    second = compute(data, SegmentFilter(SegmentKind.INCUBATOR, frozenset({I2})))

    assert first["participation"]["contributions"] == 3
    assert first["participation"]["rate"] == 1.0  # 7 and 8 both acted in I1
    assert second["participation"]["contributions"] == 1
    assert second["participation"]["active_members"] == 2
    assert second["participation"]["rate"] == 0.5  # 7 acted in I2, 9 did not


def test_a_seniority_segment_uses_each_members_band():
    data = PeriodData(period=MARCH, today=day(4, 20))
    data.population = [
        present(1, I1, first_start=day(2, 1)),  # a month old: under six months
        present(2, I1, first_start=day(1, 1, 2019)),  # over five years
    ]
    data.acts = [acts(1, "joined"), acts(2, "joined", 3)]
    bands = {1: "0-6m", 2: "5a+"}

    recent = compute(data, SegmentFilter(SegmentKind.SENIORITY, frozenset({"0-6m"}), bands))

    assert recent["participation"]["contributions"] == 1
    assert recent["participation"]["active_members"] == 1
