"""How far a commitment has come: pure functions, no database.

The expected progress "by today" is the target times the elapsed share of the period,
so a page can say whether a commitment is on track (i fas), behind (efter plan) or done.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from pledges.dates import month_end, month_starts

# Mean lengths, so that a recurring target over a whole calendar year gives 52 weeks,
# 12 months or 4 quarters whether or not the year is a leap year.
DAYS_PER_INTERVAL = {
    "week": 7,
    "month": 365.25 / 12,
    "quarter": 365.25 / 4,
    "year": 365.25,
}


class State:
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    ACHIEVED = "achieved"
    IN_PROGRESS = "in_progress"
    NOT_DONE = "not_done"
    FULFILLED = "fulfilled"
    PARTLY = "partly"
    NOT_FULFILLED = "not_fulfilled"
    NO_OUTCOME = "no_outcome"

    LABELS = {
        NOT_STARTED: _("Ej påbörjad"),
        ON_TRACK: _("I fas"),
        BEHIND: _("Efter plan"),
        ACHIEVED: _("Uppnått"),
        IN_PROGRESS: _("Pågår"),
        NOT_DONE: _("Ej genomförd"),
        FULFILLED: _("Uppfyllt"),
        PARTLY: _("Delvis uppfyllt"),
        NOT_FULFILLED: _("Ej uppfyllt"),
        NO_OUTCOME: _("Utfall ej redovisat"),
    }


def period_days(start, end):
    """Days in a period, both ends included."""
    return (end - start).days + 1


def intervals_in_period(interval, start, end):
    """How many weeks (months, …) a period holds, rounded to whole intervals, at least 1."""
    return max(1, round(period_days(start, end) / DAYS_PER_INTERVAL[interval]))


def target_total(*, kind, quantity, interval, start, end):
    """The number a whole period asks for: a count's target, or a recurring target times
    the number of intervals. None for milestones and qualitative commitments."""
    if kind == "count":
        return quantity
    if kind == "recurring" and quantity and interval:
        return quantity * intervals_in_period(interval, start, end)
    return None


def elapsed_share(start, end, today):
    """The share of the period that has passed by the end of `today`, from 0 to 1."""
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return period_days(start, today) / period_days(start, end)


def expected_by(total, start, end, today):
    """Whole activities expected by `today` if the work were spread evenly."""
    if total is None:
        return None
    if today < start:
        return 0
    if today >= end:
        return total
    # Whole-number arithmetic: 366 × 60/366 in floating point is 59.999…, which floors to 59.
    return total * period_days(start, today) // period_days(start, end)


@dataclass(frozen=True)
class Progress:
    kind: str
    achieved: int
    target: int | None
    expected: int | None
    state: str

    @property
    def state_label(self):
        return State.LABELS[self.state]

    @property
    def percent(self):
        """Achieved as a share of the target, 0–100, for a progress bar."""
        if not self.target:
            return 100 if self.state in (State.ACHIEVED, State.FULFILLED) else 0
        return min(100, round(100 * self.achieved / self.target))

    @property
    def expected_percent(self):
        if not self.target or self.expected is None:
            return None
        return min(100, round(100 * self.expected / self.target))


OUTCOME_STATES = {
    "fulfilled": State.FULFILLED,
    "partly": State.PARTLY,
    "not_fulfilled": State.NOT_FULFILLED,
}

STATUS_STATES = {
    "not_started": State.NOT_STARTED,
    "in_progress": State.IN_PROGRESS,
    "done": State.ACHIEVED,
    "not_done": State.NOT_DONE,
}


def compute(
    *,
    kind,
    quantity,
    interval,
    start,
    end,
    achieved,
    status="not_started",
    completed=False,
    outcome="",
    today: datetime.date,
):
    total = target_total(kind=kind, quantity=quantity, interval=interval, start=start, end=end)
    expected = expected_by(total, start, end, today)
    achieved = achieved or 0

    if today > end:
        if outcome:
            state = OUTCOME_STATES[outcome]
        elif (total is not None and achieved >= total) or (
            kind == "milestone" and (completed or achieved)
        ):
            state = State.ACHIEVED
        else:
            state = State.NO_OUTCOME
    elif kind in ("count", "recurring"):
        if achieved >= total:
            state = State.ACHIEVED
        elif today < start:
            state = State.NOT_STARTED
        elif achieved >= expected:
            state = State.ON_TRACK
        else:
            state = State.BEHIND
    elif kind == "milestone":
        if completed or achieved:
            state = State.ACHIEVED
        else:
            state = STATUS_STATES.get(status, State.NOT_STARTED)
    else:
        state = STATUS_STATES.get(status, State.NOT_STARTED)

    return Progress(kind=kind, achieved=achieved, target=total, expected=expected, state=state)


@dataclass(frozen=True)
class Summary:
    """How many commitments are in each state, for a kommun, a police area or the country."""

    states: dict
    municipalities: int | None = None
    demo: bool = False  # some of the figures come from demo data

    @property
    def total(self):
        return sum(self.states.values())

    @property
    def on_track(self):
        return self.states.get(State.ON_TRACK, 0)

    @property
    def behind(self):
        return self.states.get(State.BEHIND, 0)

    @property
    def achieved(self):
        return self.states.get(State.ACHIEVED, 0) + self.states.get(State.FULFILLED, 0)

    def rows(self):
        """(state, label, count) for every state present, in the order of State.LABELS."""
        return [
            (state, label, self.states[state])
            for state, label in State.LABELS.items()
            if self.states.get(state)
        ]


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date
    done: int
    cumulative: int
    expected: int | None


def cumulative_by_month(monthly, *, start, end, total, today):
    """Month by month: what was done, the running total and the expected running total.

    `monthly` maps the first day of a month to that month's quantity. The rows run from the
    period's first month to its last, or to this month while it runs; work logged before the
    period counts in its first month and work after it in its last, so the sum is kept.
    """
    if today < start:
        return []
    months = month_starts(start, min(end, today))
    rows = []
    cumulative = 0
    for index, month in enumerate(months):
        done = sum(
            quantity
            for key, quantity in monthly.items()
            if key.replace(day=1) == month
            or (index == 0 and key < month)
            or (index == len(months) - 1 and key > month)
        )
        cumulative += done
        until = min(month_end(month), end, today)
        rows.append(
            MonthRow(
                month=month,
                done=done,
                cumulative=cumulative,
                expected=expected_by(total, start, end, until),
            )
        )
    return rows
