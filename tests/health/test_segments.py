"""Segments of fewer than five members are never shown alone: they are put together in
« autres », itself shown only from five members."""

import datetime
import random

import pytest

from ruche.health.enums import PeriodKind
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
    SegmentFilter,
    Team,
    bands_of,
    compute,
)
from ruche.health.periods import Period
from ruche.health.segments import SegmentKey, seniority_band
from ruche.health.services import figures_by_segment

MARCH = Period.containing(PeriodKind.MONTH, datetime.date(2026, 3, 10))
INCUBATORS = {1: ("grand", "Le grand"), 2: ("moyen", "Le moyen"), 3: ("petit", "Le petit")}


def _community(sizes: dict[int, int], domaine_of=lambda member: "design") -> PeriodData:
    """`sizes`: incubator id → how many active members it has; each of them acted once."""
    data = PeriodData(period=MARCH, today=datetime.date(2026, 4, 20), incubators=INCUBATORS)
    member = 0
    for incubator, size in sizes.items():
        for _ in range(size):
            member += 1
            data.population.append(
                Presence(
                    member, frozenset({incubator}), domaine_of(member), datetime.date(2020, 1, 1)
                )
            )
            data.acts.append(Acts(member, "joined", incubator, domaine_of(member), 1))
    return data


def test_small_incubators_are_shown_only_together_as_others():
    by_segment = figures_by_segment(_community({1: 6, 2: 3, 3: 2}))

    assert "incubator:grand" in by_segment
    assert "incubator:moyen" not in by_segment
    assert "incubator:petit" not in by_segment
    others = by_segment["incubator:autres"]["figures"]["participation"]
    assert others["active_members"] == 5
    assert others["contributions"] == 5
    # The whole community still counts everyone.
    assert by_segment["all"]["figures"]["participation"]["active_members"] == 11


def test_too_few_others_take_the_smallest_shown_segment_with_them():
    # Alone, « autres » would hold 4 members; shown, « grand » and the whole community would
    # give their figures away by difference. « moyen » (6) joins them; « grand » (7) stays.
    by_segment = figures_by_segment(_community({1: 7, 2: 6, 3: 4}))

    assert {key for key in by_segment if key.startswith("incubator:")} == {
        "incubator:grand",
        "incubator:autres",
    }
    assert by_segment["incubator:autres"]["figures"]["participation"]["active_members"] == 10


def test_exactly_five_members_are_enough_to_be_shown():
    by_segment = figures_by_segment(_community({1: 5, 2: 5}))

    assert "incubator:grand" in by_segment
    assert "incubator:moyen" in by_segment
    assert "incubator:autres" not in by_segment


def test_domaines_follow_the_same_rule():
    data = _community({1: 9}, domaine_of=lambda member: "data" if member <= 2 else "design")

    by_segment = figures_by_segment(data)

    # Data's two members cannot be shown, and design alone would give them away.
    assert "domaine:data" not in by_segment
    assert "domaine:design" not in by_segment
    assert by_segment["domaine:autres"]["figures"]["participation"]["active_members"] == 9


def test_an_incubator_is_named_by_its_title_and_keyed_by_its_slug():
    by_segment = figures_by_segment(_community({1: 5}))

    assert by_segment["incubator:grand"]["label"] == "Le grand"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("all", "all"),
        ("", "all"),
        ("incubator:dinum", "incubator:dinum"),
        ("domaine:design", "domaine:design"),
        ("seniority:5a+", "seniority:5a+"),
        ("seniority:autres", "seniority:autres"),
    ],
)
def test_segment_keys_read_back_as_written(text, expected):
    assert str(SegmentKey.parse(text)) == expected


@pytest.mark.parametrize("text", ["tout", "incubator:", "seniority:10ans", "all:x", "x:y"])
def test_unknown_segment_keys_are_refused(text):
    with pytest.raises(ValueError, match=r"."):
        SegmentKey.parse(text)


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, "0-6m"), (182, "0-6m"), (183, "6m-2a"), (729, "6m-2a"), (730, "2a-5a"), (1826, "5a+")],
)
def test_seniority_bands(days, band):
    on = datetime.date(2026, 3, 31)
    assert seniority_band(on - datetime.timedelta(days=days), on) == band


def test_a_member_without_mission_has_no_band():
    assert seniority_band(None, datetime.date(2026, 3, 31)) is None


def _random_period(rng: random.Random) -> PeriodData:
    """A period with a bit of everything, spread over three incubators, three domaines and
    every seniority band."""
    domaines = ["design", "data", "produit"]
    data = PeriodData(period=MARCH, today=datetime.date(2026, 9, 1), incubators=INCUBATORS)

    def context():
        member = rng.randrange(1, 60)
        return Context(member, rng.choice([1, 2, 3, None]), domaines[member % 3])

    for member in range(1, 60):
        start = datetime.date(2026, 3, 1) - datetime.timedelta(days=rng.choice([-5, 30, 400, 2500]))
        incubators = frozenset(rng.sample([1, 2, 3], rng.randint(0, 2)))
        data.population.append(Presence(member, incubators, domaines[member % 3], start))
        data.first_steps[member] = FirstSteps(
            member, start, start + datetime.timedelta(days=9), None
        )
    for _ in range(150):
        who = context()
        data.acts.append(
            Acts(
                who.member_id,
                rng.choice(["joined", "led", "attended"]),
                who.incubator_id,
                who.domaine,
                rng.randint(1, 3),
            )
        )
    for number in range(20):
        people = tuple(
            Participant(m, m % 4, rng.choice([1, 2]), m % 2 == 0) for m in range(number % 4)
        )
        data.teams.append(Team("initiative", number, f"T{number}", people, (context(), context())))
        data.carried.append(Carried("event", number, number % 3 == 0, (context(),)))
        data.needs.append(
            RaisedNeed(number, "N", MARCH.start, None, number % 2 == 0, number, context())
        )
        data.community_takers.append(context())
        data.events_held.append(HeldEvent(number, (context(), context())))
    return data


def test_each_segment_computed_in_one_pass_is_what_its_filter_gives():
    data = _random_period(random.Random(7))
    bands = bands_of(data)

    by_segment = figures_by_segment(data)

    checked = 0
    for key, entry in by_segment.items():
        segment = SegmentKey.parse(key)
        if segment.kind == "all" or segment.is_others:
            continue
        if segment.kind == "incubator":
            value = next(pk for pk, (slug, _title) in INCUBATORS.items() if slug == segment.value)
        else:
            value = segment.value
        alone = SegmentFilter(segment.kind, frozenset({value}), bands)
        assert entry["figures"] == compute(data, alone), key
        checked += 1
    assert checked >= 9  # three incubators, three domaines, several bands
