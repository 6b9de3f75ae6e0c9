import datetime

import pytest
from django.core.exceptions import ValidationError

from ruche.events.recurrence import PARIS, build_rule, parse_rule

START = datetime.datetime(2027, 1, 5, 9, 0, tzinfo=PARIS)  # a Tuesday


def messages(error):
    return " ".join(error.value.message_dict["recurrence"])


def test_a_weekly_rule_reads_in_plain_french():
    rule = parse_rule("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630", start=START)
    assert rule.describe() == "tous les mardis jusqu’au 30 juin 2027"


def test_every_two_weeks_reads_one_tuesday_out_of_two():
    rule = parse_rule("RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=6", start=START)
    assert rule.describe() == "un mardi sur deux, 6 fois"
    dates = rule.occurrences(START)
    assert [d.date() for d in dates[:2]] == [datetime.date(2027, 1, 5), datetime.date(2027, 1, 19)]


def test_monthly_on_the_nth_weekday_reads_and_expands():
    rule = parse_rule("FREQ=MONTHLY;BYDAY=1TU;UNTIL=20270701", start=START)
    assert rule.describe() == "le premier mardi de chaque mois jusqu’au 1er juillet 2027"
    assert [d.day for d in rule.occurrences(START)] == [5, 2, 2, 6, 4, 1]


def test_the_last_weekday_of_the_month_is_supported():
    rule = parse_rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", start=START)
    assert rule.describe() == "le dernier vendredi de chaque mois, 3 fois"
    assert [d.date() for d in rule.occurrences(START)] == [
        datetime.date(2027, 1, 29),
        datetime.date(2027, 2, 26),
        datetime.date(2027, 3, 26),
    ]


def test_wall_clock_time_is_kept_across_daylight_saving():
    rule = parse_rule("FREQ=WEEKLY;COUNT=20", start=START)
    dates = rule.occurrences(START)
    assert {d.astimezone(PARIS).hour for d in dates} == {9}
    offsets = {d.astimezone(PARIS).utcoffset() for d in dates}
    assert offsets == {datetime.timedelta(hours=1), datetime.timedelta(hours=2)}


def test_a_rule_that_never_ends_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_rule("FREQ=WEEKLY;BYDAY=TU", start=START)
    assert "doit avoir une fin" in messages(error)


def test_daily_rules_are_refused_with_what_is_supported():
    with pytest.raises(ValidationError) as error:
        parse_rule("FREQ=DAILY;COUNT=3", start=START)
    assert "chaque semaine" in messages(error)


def test_a_monthly_rule_needs_the_rank_of_the_day():
    with pytest.raises(ValidationError) as error:
        parse_rule("FREQ=MONTHLY;COUNT=3", start=START)
    assert "BYDAY=2TU" in messages(error)


def test_too_many_dates_are_refused():
    with pytest.raises(ValidationError) as error:
        parse_rule("FREQ=WEEKLY;UNTIL=20400101", start=START)
    assert "plus de 250 dates" in messages(error)


def test_an_end_before_the_start_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_rule("FREQ=WEEKLY;UNTIL=20261201", start=START)
    assert "après le premier événement" in messages(error)


def test_unknown_parts_are_named():
    with pytest.raises(ValidationError) as error:
        parse_rule("FREQ=WEEKLY;COUNT=3;BYHOUR=9", start=START)
    assert "BYHOUR" in messages(error)


def test_the_canonical_text_is_stable():
    rule = parse_rule("freq=weekly;until=20270630", start=START)
    assert rule.as_text() == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z"
    assert parse_rule(rule.as_text(), start=START) == rule


def test_the_form_choices_build_rules():
    until = datetime.date(2027, 6, 30)
    assert build_rule(repeat="weekly", start=START, until=until) == (
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630"
    )
    assert build_rule(repeat="biweekly", start=START, count=5) == (
        "FREQ=WEEKLY;BYDAY=TU;INTERVAL=2;COUNT=5"
    )
    assert build_rule(repeat="monthly", start=START, count=5) == "FREQ=MONTHLY;BYDAY=1TU;COUNT=5"
    assert build_rule(repeat="", start=START) == ""
    with pytest.raises(ValidationError):
        build_rule(repeat="weekly", start=START)
