"""One löfte's follow-up report as a document: the one object PDF, Word, HTML, XLSX and CSV
are written from, so every format says the same things with the same numbers.

`build()` reads everything in a fixed number of queries and returns plain values: no
publishing state, no internal notes, no personal data of residents, no staff usernames.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledges.dates import day_bounds
from pledges.models import (
    Activity,
    Commitment,
    FocusArea,
    FollowUp,
    FollowUpNote,
    Partner,
    PledgeDecision,
    PledgeExtension,
)
from pledges.progress import State, compute, count_states
from reports import periods
from reports.problems import problem_parts
from reports.queries import feedback_per_category, walks_in_period


def percent(achieved, target):
    """Achieved as a percentage of the target with one decimal, rounded half up, or None
    without a target: the one rounding rule of every format (68,5 % in the PDF and Word,
    68,5 in the CSV, 68.5 in the XLSX)."""
    if not target:
        return None
    value = Decimal(achieved) * 100 / Decimal(target)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_words(value):
    return f"{value}".replace(".", ",") + "\u00a0%"


def long_date(day):
    return formats.date_format(day, "j F Y")


def day_month(day):
    return formats.date_format(day, "j F")


@dataclass
class CommitmentPart:
    label: str
    text: str
    area: str
    kind_label: str
    responsible: list
    target_words: str
    progress_words: list
    target: int | None
    achieved_total: int
    achieved_period: int
    expected: int | None
    expected_at_end: int | None
    percent: int
    expected_percent: int | None
    state: str
    state_label: str
    state_explanation: str
    outcome_explanation: str
    unit: str
    months: list  # [(first day of month, place, quantity)]
    notes: list  # [(date, follow-up title, note)]
    change: int | None = None
    change_words: str = ""
    has_short_title: bool = True  # without one, the heading is the text, printed once
    since: object = None  # SincePart: this round beside the previous one, when there is one
    bar_alt: str = ""  # the progress bar in words, for screen readers and the PDF's /Alt

    @property
    def measurable(self):
        return self.target is not None

    @property
    def change_short(self):
        """The change since the previous round as a signed number: "+26", "−3"."""
        if self.change is None:
            return ""
        return ("+" if self.change >= 0 else "−") + str(abs(self.change))

    @property
    def round_notes(self):
        """Every note of the report's rounds, oldest first: [(date, round title, note)]."""
        notes = list(self.notes)
        if self.since and self.since.now_note:
            notes.append((*self.since.now_round, self.since.now_note))
        return sorted(notes, key=lambda note: note[0])


@dataclass
class SincePart:
    """One commitment then (the previous round) and now (this round or the report's day)."""

    then_heading: str
    now_heading: str
    then_state: str  # "" when the record does not say what the state was then
    now_state: str
    then_note: str
    now_note: str
    then_achieved: int | None = None
    now_achieved: int | None = None
    then_round: tuple = ()  # (date, title) of the previous round
    now_round: tuple = ()  # (date, title) of this round


@dataclass
class RoundPart:
    date: datetime.date
    title: str
    summary: str
    is_previous: bool = False  # the round before the report's period, for comparison


@dataclass
class AreaPart:
    title: str
    description: str
    commitments: list


@dataclass
class WalkPart:
    date: datetime.date
    area: str
    status: str
    participants: int | None
    findings: int
    fixed: int
    open: int
    declined: int
    is_example: bool
    status_code: str = ""


@dataclass
class DialoguePart:
    date: datetime.date
    title: str
    format: str
    participants: int | None
    outcome: str
    is_example: bool


@dataclass
class ReportDocument:
    pledge_id: int
    title: str
    municipality: str
    municipality_slug: str
    pledge_slug: str
    police_area: str
    start: datetime.date
    end: datetime.date
    original_end: datetime.date
    extensions: list  # [(previous end, new end, reason)]
    period: periods.Period
    follow_up: object  # FollowUp or None: the round this report is for
    previous_follow_up: object  # the round before it, for "+12 sedan uppföljningen …"
    signatories: list  # [(name, title, organisation)]
    contacts: list  # [(name, role, organisation)]
    warnings: list
    summary: object  # progress.Summary
    areas: list
    walks: list
    feedback: list  # [(category, count)]
    dialogues: list
    quantity_in_period: int
    is_demo: bool
    with_appendix: bool = False
    goals: list = field(default_factory=list)
    background: str = ""
    focus_places: list = field(default_factory=list)
    closing: list = field(default_factory=list)  # [(decided on or None, decided by, text)]
    rounds: list = field(default_factory=list)  # [RoundPart], oldest first
    as_of: datetime.date | None = None  # the day the states are judged on ("Läget per")
    made_on: datetime.date | None = None
    for_round: bool = False  # the report of one chosen follow-up round
    activities: list = field(default_factory=list)  # only filled when asked for
    walk_rows: list = field(default_factory=list)  # raw rows, for the XLSX/CSV sections
    feedback_rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # reports.problems.ProblemPart
    period_stated: bool = True  # False: the published löfte gives no period

    @property
    def heading(self):
        """The document's title: the löfte and the round or the period it reports."""
        if self.for_round and self.follow_up:
            return _("Uppföljning: %(title)s – %(round)s, %(date)s") % {
                "title": self.title,
                "round": self.follow_up.title,
                "date": long_date(self.follow_up.date),
            }
        return _("Uppföljning: %(title)s – %(period)s") % {
            "title": self.title,
            "period": self.report_period_words,
        }

    @property
    def as_of_words(self):
        return _("Läget per %(date)s") % {"date": long_date(self.as_of)}

    @property
    def made_on_words(self):
        return _("Rapporten togs fram %(date)s.") % {"date": long_date(self.made_on)}

    @property
    def judged_today(self):
        return self.as_of == self.made_on

    @property
    def walks_sentence(self):
        """The walks in words, with "öppen/öppna" and the other words by number."""
        t = self.walk_totals
        return " ".join(
            [
                ngettext(
                    "Trygghetsvandringar: %(n)s genomförd,",
                    "Trygghetsvandringar: %(n)s genomförda,",
                    t["held"],
                )
                % {"n": t["held"]},
                ngettext("med %(n)s iakttagelse,", "med %(n)s iakttagelser,", t["findings"])
                % {"n": t["findings"]},
                ngettext("varav %(n)s åtgärdad", "varav %(n)s åtgärdade", t["fixed"])
                % {"n": t["fixed"]},
                ngettext("och %(n)s öppen.", "och %(n)s öppna.", t["open"]) % {"n": t["open"]},
            ]
        )

    @property
    def summary_sentence(self):
        return self.summary.sentence()

    @property
    def follow_up_summary(self):
        return self.follow_up.summary if self.follow_up else ""

    @property
    def follow_up_draft_mark(self):
        """ " – Utkast – inte godkänd av båda parter" after a round that is not yet approved
        by the police and the kommun (so not published), "" otherwise."""
        if self.follow_up is None or self.follow_up.is_approved:
            return ""
        return " – " + _("Utkast – inte godkänd av båda parter")

    @property
    def commitments(self):
        return [c for area in self.areas for c in area.commitments]

    @property
    def walk_totals(self):
        return {
            "held": sum(1 for w in self.walks if w.status_code == "held"),
            "findings": sum(w.findings for w in self.walks),
            "fixed": sum(w.fixed for w in self.walks),
            "open": sum(w.open for w in self.walks),
        }

    @property
    def feedback_total(self):
        return sum(count for _category, count in self.feedback)

    @property
    def pledge_period_words(self):
        if not self.period_stated:
            return _("anges inte i källan")
        words = f"{long_date(self.start)} – {long_date(self.end)}"
        if self.extensions:
            words += " " + _("(förlängt från %(date)s)") % {"date": long_date(self.original_end)}
        return words

    @property
    def report_period_words(self):
        return f"{long_date(self.period.start)} – {long_date(self.period.end)}"

    @property
    def filename(self):
        return (
            f"uppfoljning-{self.municipality_slug}-{self.pledge_slug}-"
            f"{self.period.start.isoformat()}-{self.period.end.isoformat()}"
        )


# --- Periods and rounds ------------------------------------------------------------------


def round_period(follow_up, pledge):
    """The period a follow-up round reports on: from the day after the previous round (or
    the löfte's start) to the round's date."""
    previous = (
        FollowUp.objects.filter(pledge=pledge, date__lt=follow_up.date)
        .order_by("-date", "-id")
        .values_list("date", flat=True)
        .first()
    )
    start = previous + datetime.timedelta(days=1) if previous else pledge.start_date
    return periods.Period(min(start, follow_up.date), follow_up.date)


def period_warnings(pledge, period):
    """Swedish warnings when the report's period lies wholly or partly outside the löfte."""
    if period.end < pledge.start_date or period.start > pledge.end_date:
        return [
            _(
                "Rapportperioden %(period)s ligger utanför löftets period %(pledge)s, så "
                "rapporten visar inga insatser. Välj löftets egen period."
            )
            % {"period": period_words(period), "pledge": pledge_words(pledge)}
        ]
    if period.start < pledge.start_date or period.end > pledge.end_date:
        return [
            _(
                "Rapportperioden %(period)s sträcker sig utanför löftets period %(pledge)s; "
                "bara dagarna inom löftet har insatser."
            )
            % {"period": period_words(period), "pledge": pledge_words(pledge)}
        ]
    return []


def period_words(period):
    return f"{long_date(period.start)} – {long_date(period.end)}"


def pledge_words(pledge):
    return f"{long_date(pledge.start_date)} – {long_date(pledge.end_date)}"


def as_of(period, pledge):
    """The day states are judged on: today, as on the public page, when the report reaches
    today or the löfte's end; otherwise the end of the earlier part it covers."""
    today = timezone.localdate()
    if period.end >= min(today, pledge.end_date):
        return today
    return period.end


def rounds_for(follow_ups, period, pledge, chosen):
    """The follow-up rounds a report covers, oldest first: those dated in the period, and
    those after the löfte's end when the period reaches it (the final accounts); a chosen
    round ends the list."""
    covered = [
        f
        for f in follow_ups
        if f.date >= period.start and (f.date <= period.end or period.end >= pledge.end_date)
    ]
    if chosen is not None:
        covered = [f for f in covered if f.date <= chosen.date and f.pk != chosen.pk] + [chosen]
    return sorted(covered, key=lambda f: (f.date, f.pk))


# --- Queries -----------------------------------------------------------------------------


def commitments_for_document(pledge, period, previous_date):
    """The löfte's commitments in order with `achieved_period`, `achieved_total` (up to the
    period's end) and `achieved_previous` (up to the previous round): one query, plus one
    for responsible partners."""
    in_period = Q(activities__date__gte=period.start, activities__date__lte=period.end)
    up_to_end = Q(activities__date__lte=period.end)
    up_to_previous = Q(activities__date__lte=previous_date) if previous_date else Q(pk__in=[])
    return (
        Commitment.objects.active()
        .filter(pledge=pledge)
        .select_related("focus_area")
        .prefetch_related(
            Prefetch("responsible_partners", queryset=Partner.objects.order_by("name"))
        )
        .annotate(
            achieved_period=Coalesce(Sum("activities__quantity", filter=in_period), 0),
            achieved_total=Coalesce(Sum("activities__quantity", filter=up_to_end), 0),
            achieved_previous=Coalesce(Sum("activities__quantity", filter=up_to_previous), 0),
        )
        .order_by("focus_area__order", "focus_area_id", "order", "id")
    )


def months_and_places(pledge, period):
    """{commitment id: [(month, place, quantity)]}: activities in the period summed by
    month and place, one query."""
    rows = (
        Activity.objects.filter(
            commitment__pledge=pledge, date__gte=period.start, date__lte=period.end
        )
        .annotate(month=TruncMonth("date"))
        .values("commitment_id", "month", "place")
        .annotate(quantity=Sum("quantity"))
        .order_by("commitment_id", "month", "place")
    )
    result = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        result.setdefault(row["commitment_id"], []).append(
            (month, row["place"] or _("plats ej angiven"), row["quantity"])
        )
    return result


def activity_appendix(pledge, period):
    """Every activity in the period, public fields only."""
    return [
        (day, shorten_label(short, text), place, quantity, description)
        for day, short, text, place, quantity, description in Activity.objects.filter(
            commitment__pledge=pledge, date__gte=period.start, date__lte=period.end
        )
        .order_by("date", "id")
        .values_list(
            "date",
            "commitment__short_text",
            "commitment__text",
            "place",
            "quantity",
            "description",
        )
    ]


def shorten_label(short, text):
    from pledges.text import shorten

    return short or shorten(text)


def dialogues_held(municipality_id, period):
    from dialogues.models import Dialogue

    return [
        DialoguePart(
            date=d.date,
            title=d.title,
            format=d.get_format_display(),
            participants=d.participants,
            outcome=d.outcome,
            is_example=d.is_example,
        )
        for d in Dialogue.objects.filter(
            municipality_id=municipality_id,
            status=Dialogue.Status.HELD,
            date__gte=period.start,
            date__lte=period.end,
        )
        .only("date", "title", "format", "participants", "outcome", "is_example")
        .order_by("date", "id")
    ]


def walk_parts(walk_rows):
    from dialogues.models import SafetyWalk

    labels = dict(SafetyWalk.Status.choices)
    parts = []
    for row in walk_rows:
        starts_at, _, area, status, participants, total, fixed, open_, declined, example = row
        part = WalkPart(
            date=timezone.localtime(starts_at).date(),
            area=area,
            status=str(labels[status]),
            participants=participants,
            findings=total,
            fixed=fixed,
            open=open_,
            declined=declined,
            is_example=example,
            status_code=status,
        )
        parts.append(part)
    return parts


# --- Words -------------------------------------------------------------------------------


def target_words(commitment, total):
    unit = commitment.target_unit
    if commitment.target_kind == Commitment.TargetKind.COUNT:
        return _("Minst %(total)s %(unit)s under löftets period.") % {"total": total, "unit": unit}
    if commitment.target_kind == Commitment.TargetKind.RECURRING:
        return _("Minst %(quantity)s %(interval)s, %(total)s %(unit)s under löftets period.") % {
            "quantity": commitment.target_quantity,
            "interval": commitment.get_interval_display(),
            "total": total,
            "unit": unit,
        }
    if commitment.target_kind == Commitment.TargetKind.MILESTONE:
        return _("Görs en gång.")
    return _("Löpande arbete som följs upp med status och text.")


def progress_words(commitment, prog, running, in_period, *, day=None, today=None):
    if prog.target is not None:
        words = [
            _("%(achieved)s av minst %(target)s %(unit)s (%(percent)s).")
            % {
                "achieved": prog.achieved,
                "target": prog.target,
                "unit": commitment.unit_for(prog.target),
                "percent": percent_words(percent(prog.achieved, prog.target)),
            },
        ]
        if prog.final_entered:
            words.append(final_figure_words(commitment))
        words.append(
            ngettext("%(n)s under rapportperioden.", "%(n)s under rapportperioden.", in_period)
            % {"n": in_period}
        )
        if running and prog.state not in (State.ACHIEVED,):
            if day is None or day == today:
                words.append(
                    _("Där arbetet borde vara i dag om det fördelas jämnt: %(expected)s.")
                    % {"expected": prog.expected}
                )
            else:
                # A report of an earlier part of the löfte speaks of that part's last day.
                words.append(
                    _("Där arbetet borde ha varit %(date)s om det fördelas jämnt: %(expected)s.")
                    % {"date": long_date(day), "expected": prog.expected}
                )
        return words
    if commitment.target_kind == Commitment.TargetKind.MILESTONE:
        # The one rule for "done" (pledges.progress.milestone_done).
        if commitment.completed_on:
            return [_("Genomfört %(date)s.") % {"date": long_date(commitment.completed_on)}]
        if prog.done:
            return [_("Genomfört.")]
        if prog.state in State.ENDED:
            return [_("Inte genomfört.")]
        return [_("Inte genomfört ännu.")]
    return []


def final_figure_words(commitment):
    """Says that a figure is the one entered when the löfte was closed, not the log's."""
    if commitment.final_quantity_source:
        return _("Slutsiffran angavs när löftet avslutades: %(source)s.") % {
            "source": commitment.final_quantity_source.rstrip(".")
        }
    return _("Slutsiffran angavs när löftet avslutades, inte registrerad insats för insats.")


def change_words(change, previous, then_state="", now_state=""):
    """What changed since the previous round: "+12 sedan förra uppföljningen (15 juni
    2025)" for a number, the state then and now for a commitment without one."""
    if previous is None:
        return ""
    if change is not None:
        sign = "+" if change >= 0 else "−"
        return _("%(sign)s%(n)s sedan förra uppföljningen (%(date)s)") % {
            "sign": sign,
            "n": abs(change),
            "date": long_date(previous.date),
        }
    if not then_state:
        return ""
    if then_state == now_state:
        return _("Oförändrat läge sedan förra uppföljningen (%(date)s): %(state)s") % {
            "date": long_date(previous.date),
            "state": now_state,
        }
    return _("Läget har ändrats sedan förra uppföljningen (%(date)s): %(then)s → %(now)s") % {
        "date": long_date(previous.date),
        "then": then_state,
        "now": now_state,
    }


def bar_alt(part):
    """The progress bar in words, numbers included: the chart's alternative text."""
    words = _(
        "Stapeldiagram: %(achieved)s av målet %(target)s %(unit)s genomfört (%(percent)s)."
    ) % {
        "achieved": part.achieved_total,
        "target": part.target,
        "unit": part.unit,
        "percent": percent_words(percent(part.achieved_total, part.target)),
    }
    if part.expected_percent is not None and part.expected is not None:
        words += " " + _(
            "Ett streck markerar %(expected)s, där arbetet borde vara om det fördelas jämnt."
        ) % {"expected": part.expected}
    return words


def statuses_then(pledge, day):
    """{commitment id: (status, completed_on, outcome)} as the history recorded them at the
    end of `day`: one query. A commitment without a record by then is missing, and its state
    then is not stated."""
    _start, end = day_bounds(day, day)
    rows = (
        Commitment.history.filter(pledge_id=pledge.pk, history_date__lt=end)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "status", "completed_on", "outcome", "history_type")
    )
    result = {}
    for pk, status, completed_on, outcome, kind in rows:
        if kind == "-":
            result.pop(pk, None)
        else:
            result[pk] = (status, completed_on, outcome)
    return result


def state_then(commitment, previous, achieved, recorded):
    """The commitment's state label on the previous round's day, or "" when the record does
    not hold it (a commitment without a number and no history from then)."""
    if commitment.is_measurable:
        prog = commitment.progress(achieved=achieved, today=previous.date)
        return str(prog.state_label)
    if commitment.pk not in recorded:
        return ""
    status, completed_on, outcome = recorded[commitment.pk]
    prog = compute(
        kind=commitment.target_kind,
        quantity=commitment.target_quantity,
        interval=commitment.interval,
        start=commitment.pledge.start_date,
        end=commitment.pledge.end_date,
        achieved=achieved,
        status=status,
        completed=completed_on is not None and completed_on <= previous.date,
        outcome=outcome,
        today=previous.date,
    )
    return str(prog.state_label)


# --- Building ----------------------------------------------------------------------------


def build(pledge, period, *, follow_up=None, with_appendix=False):
    """The report of one löfte (with municipality and police area selected) for `period`,
    as of the round `follow_up` when given."""
    prefetch_related_objects(
        [pledge],
        "signatories",
        "contacts",
        Prefetch("extensions", queryset=PledgeExtension.objects.order_by("created_at")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("date", "id")),
        Prefetch("focus_areas", queryset=FocusArea.objects.order_by("order", "id")),
        Prefetch(
            "decisions",
            queryset=PledgeDecision.objects.filter(kind=PledgeDecision.Kind.CLOSED).order_by(
                "created_at", "id"
            ),
        ),
    )
    notes_by_round = {}
    for note in FollowUpNote.objects.filter(follow_up__pledge=pledge).order_by("id"):
        notes_by_round.setdefault(note.follow_up_id, {})[note.commitment_id] = note.note
    follow_ups = list(pledge.follow_ups.all())
    rounds = rounds_for(follow_ups, period, pledge, follow_up)
    current = rounds[-1] if rounds else None
    earlier = [f for f in follow_ups if current and (f.date, f.pk) < (current.date, current.pk)]
    previous = earlier[-1] if earlier else None

    day = as_of(period, pledge)
    today = timezone.localdate()
    running = pledge.is_running(day)
    # Each note once: this round's and the previous round's stand side by side ("Sedan
    # förra uppföljningen"), the notes of any other round in the period are listed.
    compared = {r.pk for r in (current, previous) if r is not None and previous is not None}
    notes = {}
    for round_ in rounds:
        if round_.pk in compared:
            continue
        for commitment_id, note in notes_by_round.get(round_.pk, {}).items():
            notes.setdefault(commitment_id, []).append((round_.date, round_.title, note))
    places = months_and_places(pledge, period)
    recorded = statuses_then(pledge, previous.date) if previous else {}

    areas = {}
    states = []
    for commitment in commitments_for_document(pledge, period, previous and previous.date):
        commitment.pledge = pledge
        # The final figure entered at closing counts once the report reaches the löfte's end.
        final = commitment.final_quantity if day >= pledge.end_date else None
        prog = commitment.progress(achieved=commitment.achieved_total, today=day, final=final)
        states.append(prog.state)
        change = (
            commitment.achieved_total - commitment.achieved_previous
            if previous and prog.target is not None
            else None
        )
        since = None
        if previous is not None:
            then_label = state_then(commitment, previous, commitment.achieved_previous, recorded)
            since = SincePart(
                then_heading=_("Förra uppföljningen: %(title)s, %(date)s")
                % {"title": previous.title, "date": long_date(previous.date)},
                now_heading=(
                    _("Nu: %(title)s, %(date)s")
                    if day == current.date
                    else _("Nu: %(title)s, %(date)s; läget per %(day)s")
                )
                % {"title": current.title, "date": long_date(current.date), "day": long_date(day)},
                then_state=then_label,
                now_state=str(prog.state_label),
                then_note=notes_by_round.get(previous.pk, {}).get(commitment.pk, ""),
                now_note=notes_by_round.get(current.pk, {}).get(commitment.pk, ""),
                then_achieved=commitment.achieved_previous if prog.target is not None else None,
                now_achieved=commitment.achieved_total if prog.target is not None else None,
                then_round=(previous.date, previous.title),
                now_round=(current.date, current.title),
            )
        part = CommitmentPart(
            label=commitment.short_label,
            text=commitment.text,
            area=commitment.focus_area.title if commitment.focus_area else "",
            kind_label=commitment.get_target_kind_display().split(" (")[0],
            responsible=commitment.responsible_names()
            + ([commitment.responsible_note] if commitment.responsible_note else []),
            target_words=target_words(commitment, prog.target),
            progress_words=progress_words(
                commitment, prog, running, commitment.achieved_period, day=day, today=today
            ),
            target=prog.target,
            achieved_total=prog.achieved,
            achieved_period=commitment.achieved_period,
            expected=prog.expected,
            expected_at_end=commitment.progress(
                achieved=commitment.achieved_total, today=period.end
            ).expected,
            percent=prog.percent,
            expected_percent=prog.expected_percent if running else None,
            state=prog.state,
            state_label=str(prog.state_label),
            state_explanation=str(State.EXPLANATIONS[prog.state]),
            outcome_explanation=commitment.outcome_explanation if prog.state in State.ENDED else "",
            unit=commitment.unit_for(prog.target) if prog.target else commitment.target_unit,
            months=places.get(commitment.pk, []),
            notes=notes.get(commitment.pk, []),
            change=change,
            change_words=change_words(
                change, previous, since.then_state if since else "", str(prog.state_label)
            ),
            has_short_title=bool(commitment.short_text),
            since=since,
        )
        if part.measurable:
            part.bar_alt = bar_alt(part)
        area = commitment.focus_area
        key = area.pk if area else None
        if key not in areas:
            areas[key] = AreaPart(
                title=area.title if area else _("Övriga åtaganden"),
                description=area.description if area else "",
                commitments=[],
            )
        areas[key].commitments.append(part)
    # Every focus area in its order, also one without commitments (its description says
    # what the löfte is about), then the commitments without one.
    ordered = [
        areas.get(area.pk)
        or AreaPart(title=area.title, description=area.description, commitments=[])
        for area in pledge.focus_areas.all()
    ]
    known = {area.pk for area in pledge.focus_areas.all()}
    ordered += [a for k, a in areas.items() if k is not None and k not in known]
    ordered += [areas[None]] if None in areas else []
    round_parts = [RoundPart(r.date, r.title, r.summary) for r in rounds]
    if previous is not None and previous not in rounds:
        round_parts.insert(0, RoundPart(previous.date, previous.title, previous.summary, True))

    walk_rows = list(walks_in_period([pledge.municipality_id], period))
    feedback_rows = list(feedback_per_category([pledge.municipality_id], period))
    walks = walk_parts(walk_rows)
    dialogues = dialogues_held(pledge.municipality_id, period)
    extensions = [(e.previous_end_date, e.new_end_date, e.reason) for e in pledge.extensions.all()]
    return ReportDocument(
        pledge_id=pledge.pk,
        title=pledge.title,
        municipality=pledge.municipality.name,
        municipality_slug=pledge.municipality.slug,
        pledge_slug=pledge.slug,
        police_area=pledge.police_area.name if pledge.police_area else "",
        start=pledge.start_date,
        end=pledge.end_date,
        original_end=extensions[0][0] if extensions else pledge.end_date,
        extensions=extensions,
        period=period,
        follow_up=current,
        previous_follow_up=previous,
        signatories=[(s.name, s.title, s.organisation) for s in pledge.signatories.all()],
        contacts=[(c.name, c.role, c.organisation) for c in pledge.contacts.all()],
        warnings=period_warnings(pledge, period),
        summary=count_states(states),
        areas=ordered,
        walks=walks,
        feedback=[(row["category__name"], row["total"]) for row in feedback_rows],
        walk_rows=walk_rows,
        feedback_rows=feedback_rows,
        dialogues=dialogues,
        quantity_in_period=sum(c.achieved_period for a in ordered for c in a.commitments),
        is_demo=pledge.is_demo
        or any(w.is_example for w in walks)
        or any(d.is_example for d in dialogues),
        with_appendix=with_appendix,
        goals=pledge.goal_list(),
        background=pledge.background,
        focus_places=pledge.focus_place_list(),
        closing=[(d.decided_on, d.decided_by, d.text) for d in pledge.decisions.all()],
        rounds=round_parts,
        as_of=day,
        made_on=today,
        for_round=follow_up is not None,
        period_stated=pledge.period_stated,
        activities=activity_appendix(pledge, period) if with_appendix else [],
        problems=problem_parts(pledge, period, as_of(period, pledge)),
    )
