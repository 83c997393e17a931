"""How far a commitment has come: pure functions, no database.

The expected progress "by today" is the target times the elapsed share of the period,
so a page can say whether a commitment is on track (i fas), behind (efter plan) or done.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext
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

    # One sentence per state, shown where the states are ("Vad betyder lägena?").
    EXPLANATIONS = {
        NOT_STARTED: _(
            "Arbetet med åtagandet har inte börjat, eller löftets period har inte börjat ännu."
        ),
        ON_TRACK: _(
            "Minst så mycket är gjort som borde vara gjort i dag om arbetet fördelas "
            "jämnt över perioden."
        ),
        BEHIND: _(
            "Mindre är gjort än vad som borde vara gjort i dag om arbetet fördelas jämnt "
            "över perioden."
        ),
        ACHIEVED: _("Målet är nått eller åtagandet är genomfört, medan löftet fortfarande pågår."),
        IN_PROGRESS: _("Ett åtagande utan mätbart mål som de ansvariga säger att de arbetar med."),
        NOT_DONE: _("De ansvariga har meddelat att åtagandet inte kommer att genomföras."),
        FULFILLED: _("Löftet har gått ut och de ansvariga redovisar att åtagandet uppfylldes."),
        PARTLY: _(
            "Löftet har gått ut och åtagandet uppfylldes delvis; förklaringen säger vad "
            "som inte gjordes och varför."
        ),
        NOT_FULFILLED: _(
            "Löftet har gått ut och åtagandet uppfylldes inte; förklaringen säger varför."
        ),
        NO_OUTCOME: _("Löftet har gått ut men de ansvariga har ännu inte redovisat hur det gick."),
    }

    # The states a commitment can have once its löfte has ended: the outcome or none yet.
    ENDED = (FULFILLED, PARTLY, NOT_FULFILLED, NO_OUTCOME)

    @classmethod
    def counted(cls, state, count):
        """`count` commitments in `state`, as words in a sentence: "2 uppnådda"."""
        phrases = {
            cls.NOT_STARTED: ngettext("%(n)s ej påbörjat", "%(n)s ej påbörjade", count),
            cls.ON_TRACK: ngettext("%(n)s i fas", "%(n)s i fas", count),
            cls.BEHIND: ngettext("%(n)s efter plan", "%(n)s efter plan", count),
            cls.ACHIEVED: ngettext("%(n)s uppnått", "%(n)s uppnådda", count),
            cls.IN_PROGRESS: ngettext("%(n)s pågående", "%(n)s pågående", count),
            cls.NOT_DONE: ngettext("%(n)s ej genomfört", "%(n)s ej genomförda", count),
            cls.FULFILLED: ngettext("%(n)s uppfyllt", "%(n)s uppfyllda", count),
            cls.PARTLY: ngettext("%(n)s delvis uppfyllt", "%(n)s delvis uppfyllda", count),
            cls.NOT_FULFILLED: ngettext("%(n)s ej uppfyllt", "%(n)s ej uppfyllda", count),
            cls.NO_OUTCOME: ngettext(
                "%(n)s utan redovisat utfall", "%(n)s utan redovisat utfall", count
            ),
        }
        return phrases[state] % {"n": count}

    @classmethod
    def explained(cls, states=None):
        """(state, label, explanation) in the order of LABELS, for `states` or all of them."""
        return [
            (state, label, cls.EXPLANATIONS[state])
            for state, label in cls.LABELS.items()
            if states is None or state in states
        ]


def period_days(start: datetime.date, end: datetime.date) -> int:
    """Days in a period, both ends included."""
    return (end - start).days + 1


def intervals_in_period(interval: str, start: datetime.date, end: datetime.date) -> int:
    """How many weeks (months, …) a period holds, rounded to whole intervals, at least 1."""
    return max(1, round(period_days(start, end) / DAYS_PER_INTERVAL[interval]))


def target_total(
    *,
    kind: str,
    quantity: int | None,
    interval: str,
    start: datetime.date,
    end: datetime.date,
) -> int | None:
    """The number a whole period asks for: a count's target, or a recurring target times
    the number of intervals. None for milestones and qualitative commitments."""
    if kind == "count":
        return quantity
    if kind == "recurring" and quantity and interval:
        return quantity * intervals_in_period(interval, start, end)
    return None


def elapsed_share(start: datetime.date, end: datetime.date, today: datetime.date) -> float:
    """The share of the period that has passed by the end of `today`, from 0 to 1."""
    if today < start:
        return 0.0
    if today >= end:
        return 1.0
    return period_days(start, today) / period_days(start, end)


def expected_by(
    total: int | None, start: datetime.date, end: datetime.date, today: datetime.date
) -> int | None:
    """Whole activities expected by `today` if the work were spread evenly."""
    if total is None:
        return None
    if today < start:
        return 0
    if today >= end:
        return total
    # Whole-number arithmetic: 366 × 60/366 in floating point is 59.999…, which floors to 59.
    return total * period_days(start, today) // period_days(start, end)


def milestone_done(
    *, completed: object = False, achieved: int = 0, status: str = "", outcome: str = ""
) -> bool:
    """The one rule for "done", used by the pages, the reports, the API and the close page:
    a commitment is done when it has a completion date, any logged activity, the staff
    status "Genomförd" or the outcome "Uppfyllt". So nothing reads "Uppfyllt" beside
    "Inte genomfört ännu"."""
    return bool(completed or achieved or status == "done" or outcome == "fulfilled")


@dataclass(frozen=True)
class Progress:
    kind: str
    achieved: int
    target: int | None
    expected: int | None
    state: str
    # Whether the work is done (milestones: `milestone_done()`; None for other kinds).
    done: bool | None = None
    # Whether `achieved` is the final figure entered when the löfte was closed
    # (`Commitment.final_quantity`) rather than the sum of the logged activities.
    final_entered: bool = False

    @property
    def state_label(self):
        return State.LABELS[self.state]

    @property
    def state_explanation(self):
        """What the state word means, in one sentence, where a single state is shown."""
        return State.EXPLANATIONS[self.state]

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


def ended_state(outcome: str) -> str:
    """The one state of a commitment whose löfte has ended: its outcome, or none reported."""
    return OUTCOME_STATES[outcome] if outcome else State.NO_OUTCOME


STATUS_STATES = {
    "not_started": State.NOT_STARTED,
    "in_progress": State.IN_PROGRESS,
    "done": State.ACHIEVED,
    "not_done": State.NOT_DONE,
}


def compute(
    *,
    kind: str,
    quantity: int | None,
    interval: str,
    start: datetime.date,
    end: datetime.date,
    achieved: int | None,
    status: str = "not_started",
    completed: object = False,
    outcome: str = "",
    final: int | None = None,
    today: datetime.date,
) -> Progress:
    """The progress of one commitment on `today`, with its one state: the single rule every
    page, report, export, feed and the API use (through `Commitment.progress()` /
    `Commitment.state()` or `CommitmentQuerySet.state_summaries()`).

    While the löfte runs, a measurable commitment gets its computed pace (Uppnått, I fas,
    Efter plan, Ej påbörjad) and a qualitative one its staff status; once the löfte has
    ended, the outcome (Uppfyllt, Delvis uppfyllt, Ej uppfyllt) or Utfall ej redovisat.

    `final` is the figure entered when the löfte was closed (`Commitment.final_quantity`):
    when set, it is what was achieved, whatever the logged activities add up to.
    """
    total = target_total(kind=kind, quantity=quantity, interval=interval, start=start, end=end)
    expected = expected_by(total, start, end, today)
    final_entered = final is not None and total is not None
    done_so_far: int = final if final is not None and total is not None else (achieved or 0)
    done = None
    if kind == "milestone":
        done = milestone_done(
            completed=completed, achieved=done_so_far, status=status, outcome=outcome
        )

    if today > end:
        # Once the löfte has ended only its outcome counts, beside the final figures:
        # a reached target without a reported outcome is still "Utfall ej redovisat".
        state = ended_state(outcome)
    elif kind in ("count", "recurring") and total is not None and expected is not None:
        if done_so_far >= total:
            state = State.ACHIEVED
        elif today < start:
            state = State.NOT_STARTED
        elif done_so_far >= expected:
            state = State.ON_TRACK
        else:
            state = State.BEHIND
    elif kind == "milestone":
        state = State.ACHIEVED if done else STATUS_STATES.get(status, State.NOT_STARTED)
    else:
        state = STATUS_STATES.get(status, State.NOT_STARTED)

    return Progress(
        kind=kind,
        achieved=done_so_far,
        target=total,
        expected=expected,
        state=state,
        done=done,
        final_entered=final_entered,
    )


def count_states(states: Iterable[str]) -> "Summary":
    """A Summary counting `states` (an iterable of State values): the one way "Så går det",
    the staff reports, the exports and the API count commitments."""
    counts: dict[str, int] = {}
    for state in states:
        counts[state] = counts.get(state, 0) + 1
    return Summary(states=counts)


@dataclass(frozen=True)
class Summary:
    """How many commitments are in each state, for a kommun, a police area or the country."""

    states: dict
    municipalities: int | None = None
    demo: bool = False  # some of the figures come from demo data
    named: tuple = ()  # (name, slug) of the kommuner counted, where the home page names them

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

    def sentence(self):
        """The counts in words: "Av 9 åtaganden är 2 uppnådda, 4 i fas och 3 efter plan."."""
        if not self.total:
            return gettext("Löftet har inga åtaganden.")
        order = [State.ACHIEVED, *(state for state in State.LABELS if state != State.ACHIEVED)]
        parts = [
            State.counted(state, self.states[state]) for state in order if self.states.get(state)
        ]
        listed = (
            parts[0]
            if len(parts) == 1
            else gettext("%(first)s och %(last)s")
            % {
                "first": ", ".join(parts[:-1]),
                "last": parts[-1],
            }
        )
        return ngettext(
            "Av %(total)s åtagande är %(states)s.",
            "Av %(total)s åtaganden är %(states)s.",
            self.total,
        ) % {"total": self.total, "states": listed}

    def explained_rows(self):
        """(state, label, count, explanation) for every state present."""
        return [
            (state, label, count, State.EXPLANATIONS[state]) for state, label, count in self.rows()
        ]

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


def cumulative_by_month(
    monthly: dict,
    *,
    start: datetime.date,
    end: datetime.date,
    total: int | None,
    today: datetime.date,
) -> list:
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
