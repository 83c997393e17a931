"""One löfte's follow-up report as a document: the one object PDF, Word, HTML, XLSX and CSV
are written from, so every format says the same things with the same numbers.

`build()` reads everything in a fixed number of queries and returns plain values: no
publishing state, no internal notes, no personal data of residents, no staff usernames.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pledges.models import (
    Activity,
    Commitment,
    FollowUp,
    FollowUpNote,
    Partner,
    PledgeExtension,
)
from pledges.progress import State, count_states
from reports import periods


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
    months: list  # [(first day of month, place, quantity)]
    notes: list  # [(date, follow-up title, note)]
    change: int | None = None
    change_words: str = ""

    @property
    def measurable(self):
        return self.target is not None


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
    activities: list = field(default_factory=list)  # only filled when asked for
    walk_rows: list = field(default_factory=list)  # raw rows, for the XLSX/CSV sections
    feedback_rows: list = field(default_factory=list)
    period_stated: bool = True  # False: the published löfte gives no period

    @property
    def heading(self):
        return _("Uppföljning: %(title)s") % {"title": self.title}

    @property
    def summary_sentence(self):
        return self.summary.sentence()

    @property
    def follow_up_summary(self):
        return self.follow_up.summary if self.follow_up else ""

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
            % {"period": str(period), "pledge": f"{pledge.start_date} – {pledge.end_date}"}
        ]
    if period.start < pledge.start_date or period.end > pledge.end_date:
        return [
            _(
                "Rapportperioden %(period)s sträcker sig utanför löftets period %(pledge)s; "
                "bara dagarna inom löftet har insatser."
            )
            % {"period": str(period), "pledge": f"{pledge.start_date} – {pledge.end_date}"}
        ]
    return []


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
        starts_at, _kommun, area, status, participants, total, fixed, open_, declined, example = row
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


def progress_words(commitment, prog, running, in_period):
    if prog.target is not None:
        words = [
            _("%(achieved)s av minst %(target)s %(unit)s (%(percent)s %%).")
            % {
                "achieved": prog.achieved,
                "target": prog.target,
                "unit": commitment.target_unit,
                "percent": prog.percent,
            },
        ]
        if prog.final_entered:
            words.append(final_figure_words(commitment))
        words.append(
            ngettext("%(n)s under rapportperioden.", "%(n)s under rapportperioden.", in_period)
            % {"n": in_period}
        )
        if running and prog.state not in (State.ACHIEVED,):
            words.append(
                _("Där arbetet borde vara i dag om det fördelas jämnt: %(expected)s.")
                % {"expected": prog.expected}
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


def change_words(change, previous):
    if change is None:
        return ""
    sign = "+" if change >= 0 else "−"
    return _("%(sign)s%(n)s sedan uppföljningen %(date)s") % {
        "sign": sign,
        "n": abs(change),
        "date": day_month(previous.date)
        if previous.date.year == timezone.localdate().year
        else long_date(previous.date),
    }


# --- Building ----------------------------------------------------------------------------


def build(pledge, period, *, follow_up=None, with_appendix=False):
    """The report of one löfte (with municipality and police area selected) for `period`,
    as of the round `follow_up` when given."""
    from reports.sections import feedback_per_category, walks_in_period

    prefetch_related_objects(
        [pledge],
        "signatories",
        "contacts",
        Prefetch("extensions", queryset=PledgeExtension.objects.order_by("created_at")),
        Prefetch("follow_ups", queryset=FollowUp.objects.order_by("date", "id")),
    )
    notes_by_round = {}
    for note in FollowUpNote.objects.filter(follow_up__pledge=pledge).order_by("id"):
        notes_by_round.setdefault(note.follow_up_id, []).append(note)
    follow_ups = list(pledge.follow_ups.all())
    rounds = rounds_for(follow_ups, period, pledge, follow_up)
    current = rounds[-1] if rounds else None
    earlier = [f for f in follow_ups if current and (f.date, f.pk) < (current.date, current.pk)]
    previous = earlier[-1] if earlier else None

    day = as_of(period, pledge)
    running = pledge.is_running(day)
    notes = {}
    for round_ in rounds:
        for note in notes_by_round.get(round_.pk, []):
            notes.setdefault(note.commitment_id, []).append((round_.date, round_.title, note.note))
    places = months_and_places(pledge, period)

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
        part = CommitmentPart(
            label=commitment.short_label,
            text=commitment.text,
            area=commitment.focus_area.title if commitment.focus_area else "",
            kind_label=commitment.get_target_kind_display().split(" (")[0],
            responsible=commitment.responsible_names()
            + ([commitment.responsible_note] if commitment.responsible_note else []),
            target_words=target_words(commitment, prog.target),
            progress_words=progress_words(commitment, prog, running, commitment.achieved_period),
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
            months=places.get(commitment.pk, []),
            notes=notes.get(commitment.pk, []),
            change=change,
            change_words=change_words(change, previous),
        )
        area = commitment.focus_area
        key = area.pk if area else None
        if key not in areas:
            areas[key] = AreaPart(
                title=area.title if area else _("Övriga åtaganden"),
                description=area.description if area else "",
                commitments=[],
            )
        areas[key].commitments.append(part)
    ordered = [a for k, a in areas.items() if k is not None] + (
        [areas[None]] if None in areas else []
    )

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
        period_stated=pledge.period_stated,
        activities=activity_appendix(pledge, period) if with_appendix else [],
    )
