"""Reporting periods: parsing `fran`/`till` and the presets the report form offers.

Pure functions on dates, so the rules are easy to test and the same for every format.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_SPAN_DAYS = 366 * 20


class PeriodError(ValueError):
    """A period that cannot be used; the message is Swedish and shown to the user."""


class Month(datetime.date):
    """A month as a value: the first day of it, written "2025-03" in CSV and on the web
    page, and a real date with the format ÅÅÅÅ-MM in XLSX."""

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month, 1)

    def isoformat(self):
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __str__(self):
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def contains(self, day):
        return self.start <= day <= self.end


def parse_date(value, name):
    try:
        return datetime.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise PeriodError(
            _("%(name)s måste vara ett datum i formen ÅÅÅÅ-MM-DD, till exempel 2025-06-30.")
            % {"name": name}
        ) from None


def parse_period(start, end, *, default_start=None, default_end=None):
    """The period between two ISO dates from the query parameters `fran` and `till`;
    defaults fill missing ends."""
    start = parse_date(start, "fran") if start else default_start
    end = parse_date(end, "till") if end else default_end
    if start is None or end is None:
        raise PeriodError(_("Ange både fran och till (ÅÅÅÅ-MM-DD)."))
    if start > end:
        raise PeriodError(_("Perioden måste börja innan den slutar (fran ≤ till)."))
    if (end - start).days > MAX_SPAN_DAYS:
        raise PeriodError(_("Perioden får vara högst 20 år lång."))
    return Period(start, end)


def half_year(day):
    if day.month <= 6:
        return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30))
    return Period(datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31))


def previous_half_year(day):
    current = half_year(day)
    return half_year(current.start - datetime.timedelta(days=1))


def calendar_year(year):
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def preset_period(preset, *, today, pledge=None):
    """A named preset: `halvar`, `forra-halvaret`, `hela` (the löfte's period) or `ar-2025`."""
    if preset == "halvar":
        return half_year(today)
    if preset == "forra-halvaret":
        return previous_half_year(today)
    if preset == "hela":
        if pledge is None:
            raise PeriodError(_("Hela löftesperioden kan bara väljas för ett enskilt löfte."))
        return Period(pledge.start_date, pledge.end_date)
    if preset.startswith("ar-"):
        try:
            year = int(preset[3:])
        except ValueError:
            year = 0
        if 2000 <= year <= 2100:
            return calendar_year(year)
    raise PeriodError(_("Okänd period."))
