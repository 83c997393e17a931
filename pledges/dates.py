"""Dates as the portal counts them: whole days in Sweden and calendar months.

TIME_ZONE is Europe/Stockholm, so a "day" starts at midnight Swedish time whatever the
server's clock says, and daylight saving moves nothing.
"""

import calendar
import datetime

from django.utils import timezone


def local_datetime(day, time):
    """The aware moment of wall-clock `time` (a datetime.time) on `day` in Sweden."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def local_midnight(day):
    """The aware moment day `day` begins in the portal's time zone."""
    return local_datetime(day, datetime.time.min)


def day_bounds(first, last):
    """[start, end) as aware moments covering the whole days `first` to `last` inclusive."""
    return local_midnight(first), local_midnight(last + datetime.timedelta(days=1))


def add_months(moment, months):
    """`moment` (a date or datetime) moved by whole calendar months, back when `months` is
    negative; the day is clamped to the end of a shorter month (31 March - 1 = 28/29 Feb)."""
    index = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def month_end(day):
    """The last day of `day`'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_starts(first, last):
    """The first day of every month from `first`'s month to `last`'s month, inclusive."""
    month = first.replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months
