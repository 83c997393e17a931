import datetime as dt

from pledges import progress
from pledges.progress import State

JAN_1_2017 = dt.date(2017, 1, 1)
DEC_31_2017 = dt.date(2017, 12, 31)


def compute(**kwargs):
    defaults = {
        "kind": "count",
        "quantity": 200,
        "interval": "",
        "start": dt.date(2018, 10, 1),
        "end": dt.date(2019, 9, 30),
        "achieved": 0,
        "today": dt.date(2019, 4, 1),
    }
    return progress.compute(**{**defaults, **kwargs})


def test_weekly_target_over_2017_expects_52():
    total = progress.target_total(
        kind="recurring", quantity=1, interval="week", start=JAN_1_2017, end=DEC_31_2017
    )
    assert total == 52


def test_weekly_target_over_leap_year_expects_52():
    total = progress.target_total(
        kind="recurring",
        quantity=1,
        interval="week",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
    )
    assert total == 52


def test_monthly_target_of_two_over_leap_year_expects_24():
    total = progress.target_total(
        kind="recurring",
        quantity=2,
        interval="month",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
    )
    assert total == 24


def test_elapsed_share_counts_leap_day():
    share = progress.elapsed_share(dt.date(2024, 1, 1), dt.date(2024, 12, 31), dt.date(2024, 2, 29))
    assert share == 60 / 366


def test_expected_halfway_through_2017():
    # 1 July 2017 is day 182 of 365.
    assert progress.expected_by(52, JAN_1_2017, DEC_31_2017, dt.date(2017, 7, 1)) == 25


def test_not_started():
    result = compute(today=dt.date(2018, 9, 1))
    assert result.state == State.NOT_STARTED
    assert result.expected == 0


def test_no_activities_midway_is_behind():
    result = compute(achieved=0)
    assert result.state == State.BEHIND
    assert result.expected > 0
    assert result.percent == 0


def test_on_track_when_at_or_above_expected():
    expected = compute().expected
    assert compute(achieved=expected).state == State.ON_TRACK
    assert compute(achieved=expected - 1).state == State.BEHIND


def test_achieved_when_target_reached_early():
    result = compute(achieved=210)
    assert result.state == State.ACHIEVED
    assert result.percent == 100


def test_ended_uses_outcome():
    result = compute(today=dt.date(2020, 1, 1), achieved=150, outcome="partly")
    assert result.state == State.PARTLY
    assert result.expected == 200


def test_ended_without_outcome():
    assert compute(today=dt.date(2020, 1, 1), achieved=150).state == State.NO_OUTCOME
    # Once ended, a reached target without a reported outcome is still "no outcome".
    assert compute(today=dt.date(2020, 1, 1), achieved=200).state == State.NO_OUTCOME


def test_milestone():
    assert compute(kind="milestone", quantity=None).state == State.NOT_STARTED
    assert compute(kind="milestone", quantity=None, completed=True).state == State.ACHIEVED
    assert compute(kind="milestone", quantity=None, achieved=1).state == State.ACHIEVED


def test_qualitative_follows_status():
    result = compute(kind="qualitative", quantity=None, status="in_progress")
    assert result.state == State.IN_PROGRESS
    assert result.target is None
    assert result.expected is None
    assert str(result.state_label) == "Pågår"
