"""pledges/dates.py: whole Swedish days and calendar months, the one place for both."""

import datetime
import zoneinfo

from pledges import dates

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def test_local_midnight_is_midnight_in_stockholm_in_winter_and_summer():
    winter = dates.local_midnight(datetime.date(2026, 1, 15))
    summer = dates.local_midnight(datetime.date(2026, 7, 15))
    assert winter.astimezone(STOCKHOLM).time() == summer.astimezone(STOCKHOLM).time()
    assert winter.astimezone(datetime.UTC).hour == 23  # UTC+1
    assert summer.astimezone(datetime.UTC).hour == 22  # UTC+2


def test_day_bounds_cover_whole_days_across_a_clock_change():
    start, end = dates.day_bounds(datetime.date(2026, 3, 29), datetime.date(2026, 3, 29))
    # The day the clocks go forward has 23 hours.
    assert end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(
        hours=23
    )
    assert end == dates.local_midnight(datetime.date(2026, 3, 30))


def test_add_months_clamps_to_month_end():
    moment = datetime.datetime(2026, 3, 31, 12, tzinfo=STOCKHOLM)
    assert dates.add_months(moment, -1).date() == datetime.date(2026, 2, 28)
    assert dates.add_months(moment, -12).date() == datetime.date(2025, 3, 31)
    assert dates.add_months(moment, -15).date() == datetime.date(2024, 12, 31)
    assert dates.add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert dates.add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    assert dates.add_months(moment, -1).time() == moment.time()


def test_month_starts_and_ends():
    assert dates.month_starts(datetime.date(2025, 11, 20), datetime.date(2026, 2, 1)) == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
    ]
    assert dates.month_starts(datetime.date(2026, 2, 2), datetime.date(2026, 1, 31)) == []
    assert dates.month_end(datetime.date(2024, 2, 10)) == datetime.date(2024, 2, 29)
    assert dates.month_end(datetime.date(2026, 12, 1)) == datetime.date(2026, 12, 31)
