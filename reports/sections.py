"""The parts of a follow-up report, each one function returning a `Section`.

A section is a table: columns and rows of plain values (str, int, Decimal, date). Every
format (HTML, PDF, XLSX, CSV) renders the same sections, so every format carries the same
numbers. To add a part, write one function here and add it to the sections of
`pledge_report()` / `overview_report()`.

Row iterables may be generators over `.iterator()` so that exports stream; HTML only
renders the sections marked `in_html` (never the per-activity list, which can be huge).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from pledges.csvstream import CHUNK_SIZE
from pledges.dates import month_starts
from pledges.models import Activity, Commitment
from pledges.progress import State, count_states
from pledges.sorting import swedish_key
from pledges.text import shorten
from reports.document import as_of, build, percent
from reports.periods import Month
from reports.problems import NOT_CAUSE
from reports.queries import feedback_per_category, walks_in_period


@dataclass
class Column:
    label: str
    kind: str = "text"  # text, int, decimal, date, month

    @property
    def numeric(self):
        return self.kind in ("int", "decimal")


@dataclass
class Section:
    key: str
    sheet: str
    title: str
    columns: list
    rows: object  # an iterable of lists; may be a one-shot generator
    note: str = ""
    in_html: bool = True
    extra: dict = field(default_factory=dict)

    def materialize(self):
        """For HTML: a list of rows (only ever called on small sections)."""
        if not isinstance(self.rows, list):
            self.rows = list(self.rows)
        return self


# --- Querysets (one named function per report part) --------------------------------------


def commitments_with_period_totals(pledges, period):
    """Commitments of `pledges` (a queryset) with `achieved_period` (within the period) and
    `achieved_total` (from the start up to the period's end) annotated. One query, plus one
    for partners."""
    in_period = Q(activities__date__gte=period.start, activities__date__lte=period.end)
    up_to_end = Q(activities__date__lte=period.end)
    return (
        Commitment.objects.filter(pledge__in=pledges)
        .select_related("pledge__municipality", "focus_area")
        .prefetch_related("responsible_partners")
        .annotate(
            achieved_period=Coalesce(Sum("activities__quantity", filter=in_period), 0),
            achieved_total=Coalesce(Sum("activities__quantity", filter=up_to_end), 0),
        )
        .order_by(
            "pledge__municipality__name",
            "pledge__start_date",
            "pledge_id",
            "focus_area__order",
            "order",
            "id",
        )
    )


def activity_months(activities, period):
    """Activity totals per month of the period: [(first day of month, quantity, count)]."""
    totals = {
        row["month"]: (row["quantity"], row["count"])
        for row in activities.filter(date__gte=period.start, date__lte=period.end)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(quantity=Sum("quantity"), count=Count("id"))
        .order_by("month")
    }
    # Some backends return datetimes for TruncMonth on a date; normalise to dates.
    totals = {
        (key.date() if isinstance(key, datetime.datetime) else key): value
        for key, value in totals.items()
    }
    return [(month, *totals.get(month, (0, 0))) for month in month_starts(period.start, period.end)]


# --- Sections ------------------------------------------------------------------------------


def commitment_row(commitment, period):
    """One commitment's row in the cross-kommun overview, and its Progress."""
    day = as_of(period, commitment.pledge)
    # The final figure entered at closing counts once the report reaches the löfte's end.
    final = commitment.final_quantity if day >= commitment.pledge.end_date else None
    prog = commitment.progress(achieved=commitment.achieved_total, today=day, final=final)
    expected_at_end = commitment.progress(
        achieved=commitment.achieved_total, today=period.end
    ).expected
    pledge = commitment.pledge
    row = [
        pledge.municipality.name,
        pledge.title,
        f"{pledge.start_date.isoformat()} – {pledge.end_date.isoformat()}",
        commitment.short_label,
        ", ".join(commitment.responsible_names()),
        commitment.get_target_kind_display().split(" (")[0],
        prog.target,
        commitment.achieved_period,
        prog.achieved,
        expected_at_end,
        percent(prog.achieved, prog.target),
        str(State.LABELS[prog.state]),
    ]
    return row, prog


def commitment_columns(*, with_pledge=False):
    columns = []
    if with_pledge:
        columns += [
            Column(_("Kommun")),
            Column(_("Löfte")),
            Column(_("Löftets period")),
        ]
    else:
        columns.append(Column(_("Fokusområde")))
    columns += [
        Column(_("Åtagande")),
        Column(_("Ansvariga")),
        Column(_("Typ av mål")),
        Column(_("Mål för hela löftet"), "int"),
        Column(_("Uppnått i perioden"), "int"),
        Column(_("Uppnått totalt"), "int"),
        Column(_("Förväntat vid periodens slut"), "int"),
        Column(_("Andel av målet (%)"), "decimal"),
        Column(_("Läge")),
    ]
    if not with_pledge:
        columns.append(Column(_("Uppföljningskommentarer")))
    return columns


def commitments_section(rows, *, with_pledge=False):
    return Section(
        key="commitments",
        sheet=_("Åtaganden"),
        title=_("Åtaganden"),
        columns=commitment_columns(with_pledge=with_pledge),
        rows=rows,
        note=_(
            "Uppnått totalt räknas från löftets start till periodens slut. Läget bedöms i dag, "
            "som på den offentliga sidan, när perioden når i dag eller löftets slut, annars "
            "per periodens slut."
        ),
    )


def months_section(activities, period):
    rows = [
        [Month.of(month), quantity, count]
        for month, quantity, count in activity_months(activities, period)
    ]
    return Section(
        key="months",
        sheet=_("Per månad"),
        title=_("Genomförda insatser per månad"),
        columns=[
            Column(_("Månad"), "month"),
            Column(_("Antal insatser"), "int"),
            Column(_("Antal registreringar"), "int"),
        ],
        rows=rows,
    )


def activity_list_section(activities, period):
    """Every activity in the period, streamed in chunks: public fields only (no internal
    notes, no names of who logged it), so an export can be passed on as it is."""
    queryset = (
        activities.filter(date__gte=period.start, date__lte=period.end)
        .order_by("date", "id")
        .values_list(
            "date",
            "commitment__pledge__municipality__name",
            "commitment__short_text",
            "commitment__text",
            "quantity",
            "place",
            "description",
            "is_example",
        )
    )

    def rows():
        for (
            day,
            municipality,
            short,
            text,
            quantity,
            place,
            description,
            example,
        ) in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield [
                day,
                municipality,
                short or shorten(text),
                quantity,
                place,
                description,
                _("Ja") if example else _("Nej"),
            ]

    return Section(
        key="activities",
        sheet=_("Aktiviteter"),
        title=_("Genomförda insatser"),
        columns=[
            Column(_("Datum"), "date"),
            Column(_("Kommun")),
            Column(_("Åtagande")),
            Column(_("Antal"), "int"),
            Column(_("Plats")),
            Column(_("Beskrivning")),
            Column(_("Exempeldata")),
        ],
        rows=rows(),
        in_html=False,
    )


def walks_section(municipality_ids, period, rows=None):
    """Safety walks held or planned in the period and the status of their findings; `rows`
    are `walks_in_period()` results already read, if any."""
    from dialogues.models import SafetyWalk

    labels = dict(SafetyWalk.Status.choices)
    walks = walks_in_period(municipality_ids, period) if rows is None else rows
    rows = []
    example = False
    for starts_at, municipality, area, status, participants, *counts, is_example in walks:
        example = example or is_example
        rows.append(
            [
                timezone.localtime(starts_at).date(),
                municipality,
                area,
                str(labels[status]),
                participants,
                *counts,
                _("Ja") if is_example else _("Nej"),
            ]
        )
    return Section(
        key="walks",
        sheet=_("Trygghetsvandringar"),
        title=_("Trygghetsvandringar"),
        columns=[
            Column(_("Datum"), "date"),
            Column(_("Kommun")),
            Column(_("Område")),
            Column(_("Status")),
            Column(_("Deltagare"), "int"),
            Column(_("Iakttagelser"), "int"),
            Column(_("Åtgärdade"), "int"),
            Column(_("Öppna"), "int"),
            Column(_("Avböjda"), "int"),
            Column(_("Exempeldata")),
        ],
        rows=rows,
        note=_(
            "Genomförda och planerade vandringar som börjar i perioden. Iakttagelsernas "
            "status gäller i dag."
        ),
        extra={"is_example": example},
    )


FEEDBACK_COUNTS = ("total", "new", "in_progress", "forwarded", "closed", "published")


def feedback_section(municipality_ids, period, counts=None):
    """Synpunkter per category in the period, with a total row; `counts` are
    `feedback_per_category()` results already read, if any."""
    if counts is None:
        counts = feedback_per_category(municipality_ids, period)
    rows = [[row["category__name"], *(row[key] for key in FEEDBACK_COUNTS)] for row in counts]
    if rows:
        rows.append([str(_("Totalt")), *(sum(row[i] for row in rows) for i in range(1, 7))])
    return Section(
        key="feedback",
        sheet=_("Synpunkter"),
        title=_("Synpunkter per kategori"),
        columns=[
            Column(_("Kategori")),
            Column(_("Antal"), "int"),
            Column(_("Nya"), "int"),
            Column(_("Pågående"), "int"),
            Column(_("Vidarebefordrade"), "int"),
            Column(_("Avslutade"), "int"),
            Column(_("Publicerade"), "int"),
        ],
        rows=rows,
        note=_("Synpunkter som kom in i perioden, efter status i dag. Endast antal."),
    )


def dialogue_summary(walks, feedback):
    """Summary lines from the walks and synpunkter sections (already computed)."""
    from dialogues.models import SafetyWalk

    held = str(SafetyWalk.Status.HELD.label)
    held_rows = [row for row in walks.rows if row[3] == held]
    return [
        [_("Genomförda trygghetsvandringar i perioden"), len(held_rows)],
        [_("Planerade trygghetsvandringar i perioden"), len(walks.rows) - len(held_rows)],
        [_("Iakttagelser från vandringarna"), sum(row[5] for row in walks.rows)],
        [_("Iakttagelser åtgärdade"), sum(row[6] for row in walks.rows)],
        [_("Synpunkter i perioden"), feedback.rows[-1][1] if feedback.rows else 0],
    ]


def summary_section(rows):
    return Section(
        key="summary",
        sheet=_("Sammanfattning"),
        title=_("Sammanfattning"),
        columns=[Column(_("Uppgift")), Column(_("Värde"))],
        rows=rows,
    )


def state_count_rows(summary):
    """Summary rows counting the commitments per state, as "Så går det" counts them."""
    return [
        [str(_("Åtaganden: %(state)s") % {"state": label}), count]
        for _state, label, count in summary.rows()
    ]


def state_counts(progresses):
    return state_count_rows(count_states(prog.state for prog in progresses))


@dataclass
class Report:
    title: str
    subtitle: str
    period: object
    sections: list
    filename: str
    is_demo: bool = False
    document: object = None  # the ReportDocument of a löfte's report (PDF, Word)

    def section(self, key):
        return next(s for s in self.sections if s.key == key)


def pledge_report(pledge, period, *, follow_up=None, with_appendix=False):
    """The follow-up report of one löfte for a period as tables (HTML tables, XLSX, CSV),
    written from the same ReportDocument as the PDF and Word file: the same numbers."""
    doc = build(pledge, period, follow_up=follow_up, with_appendix=with_appendix)
    activities = Activity.objects.filter(commitment__pledge=pledge)
    months = months_section(activities, period)
    walks = walks_section([pledge.municipality_id], period, rows=doc.walk_rows)
    feedback = feedback_section([pledge.municipality_id], period, counts=doc.feedback_rows)
    summary = summary_section(
        [
            [_("Löfte"), doc.title],
            [_("Kommun"), doc.municipality],
            [_("Lokalpolisområde"), doc.police_area],
            [_("Löftets period"), doc.pledge_period_words],
            [_("Rapportperiod"), str(period)],
            [_("Läget per"), doc.as_of],
            [_("Rapporten framtagen"), doc.made_on],
            [
                _("Uppföljning"),
                f"{doc.follow_up.date.isoformat()} {doc.follow_up.title}{doc.follow_up_draft_mark}"
                if doc.follow_up
                else "",
            ],
            [_("Mål"), "\n".join(doc.goals)],
            [_("Lägesbild och problembild"), doc.background],
            [_("Fokusplatser"), "\n".join(doc.focus_places)],
            *(
                [
                    _("Beslut om att avsluta löftet"),
                    ", ".join(filter(None, [by, day and day.isoformat(), text])),
                ]
                for day, by, text in doc.closing
            ),
            [_("Undertecknat av"), "; ".join(", ".join(filter(None, s)) for s in doc.signatories)],
            [_("Sammanfattning"), doc.summary_sentence],
            [_("Uppföljningens sammanfattning"), doc.follow_up_summary],
            *(
                [
                    (
                        _("Förra uppföljningen %(date)s %(title)s")
                        if r.is_previous
                        else _("Uppföljningen %(date)s %(title)s")
                    )
                    % {"date": r.date.isoformat(), "title": r.title},
                    r.summary,
                ]
                for r in doc.rounds
                if r.date != (doc.follow_up and doc.follow_up.date) or r.is_previous
            ),
            *([[_("Obs!"), warning] for warning in doc.warnings]),
            [_("Antal åtaganden"), doc.summary.total],
            [_("Genomförda insatser i perioden"), sum(row[1] for row in months.rows)],
            [_("Registreringar i perioden"), sum(row[2] for row in months.rows)],
            *dialogue_summary(walks, feedback),
            [_("Medborgardialoger i perioden"), len(doc.dialogues)],
            *state_count_rows(doc.summary),
        ]
    )
    commitments_part = commitments_section([])
    commitments_part.columns += [
        Column(_("Förändring sedan föregående uppföljning"), "int"),
        Column(_("Förklaring av utfallet")),
        Column(_("Läge vid förra uppföljningen")),
        Column(_("Kommentar vid förra uppföljningen")),
    ]
    commitments_part.rows = [
        [
            c.area,
            c.text,
            ", ".join(c.responsible),
            c.kind_label,
            c.target,
            c.achieved_period,
            c.achieved_total,
            c.expected_at_end,
            percent(c.achieved_total, c.target),
            c.state_label,
            " | ".join(f"{day.isoformat()} {title}: {note}" for day, title, note in c.round_notes),
            c.change,
            c.outcome_explanation,
            c.since.then_state if c.since else "",
            c.since.then_note if c.since else "",
        ]
        for c in doc.commitments
    ]
    places = Section(
        key="places",
        sheet=_("Per månad och plats"),
        title=_("Genomfört per åtagande, månad och plats"),
        columns=[
            Column(_("Åtagande")),
            Column(_("Månad"), "month"),
            Column(_("Plats")),
            Column(_("Antal"), "int"),
        ],
        rows=[
            [c.label, Month.of(month), place, quantity]
            for c in doc.commitments
            for month, place, quantity in c.months
        ],
    )
    dialogues = Section(
        key="dialogues",
        sheet=_("Medborgardialoger"),
        title=_("Medborgardialoger"),
        columns=[
            Column(_("Datum"), "date"),
            Column(_("Rubrik")),
            Column(_("Form")),
            Column(_("Deltagare"), "int"),
            Column(_("Vad den ledde till")),
            Column(_("Exempeldata")),
        ],
        rows=[
            [
                d.date,
                d.title,
                d.format,
                d.participants,
                d.outcome,
                _("Ja") if d.is_example else _("Nej"),
            ]
            for d in doc.dialogues
        ],
        note=_("Medborgardialoger som hölls i perioden."),
    )
    return Report(
        title=doc.heading,
        subtitle=f"{doc.municipality} · {period}",
        period=period,
        sections=[
            summary,
            commitments_part,
            problems_section(doc.problems),
            months,
            places,
            activity_list_section(activities, period),
            walks,
            feedback,
            dialogues,
        ],
        filename=doc.filename,
        is_demo=doc.is_demo or walks.extra["is_example"],
        document=doc,
    )


def pledges_section(commitment_rows):
    """One row per löfte with its totals, from the commitment rows already computed."""
    totals = {}
    for commitment, prog in commitment_rows:
        pledge = commitment.pledge
        entry = totals.setdefault(
            pledge.pk,
            [pledge.municipality.name, pledge.title, 0, 0, 0, 0, 0],
        )
        entry[2] += 1
        entry[3] += commitment.achieved_period
        entry[4] += commitment.achieved_total
        entry[5] += prog.state in (State.ACHIEVED, State.FULFILLED)
        entry[6] += prog.state == State.BEHIND
    return Section(
        key="pledges",
        sheet=_("Löften"),
        title=_("Löften"),
        columns=[
            Column(_("Kommun")),
            Column(_("Löfte")),
            Column(_("Åtaganden"), "int"),
            Column(_("Insatser i perioden"), "int"),
            Column(_("Insatser totalt"), "int"),
            Column(_("Uppnådda"), "int"),
            Column(_("Efter plan"), "int"),
        ],
        rows=list(totals.values()),
    )


def overview_report(*, pledges, period, level_label, name, slug):
    """A cross-kommun report: one row per löfte and commitment, with totals."""
    # Swedish order of kommuner (å, ä, ö last) whatever the database's collation; the sort
    # is stable, so each löfte's commitments keep their order.
    commitments = sorted(
        commitments_with_period_totals(pledges, period),
        key=lambda c: swedish_key(c.pledge.municipality.name),
    )
    computed = [commitment_row(c, period) for c in commitments]
    activities = Activity.objects.filter(commitment__pledge__in=pledges)
    months = months_section(activities, period)
    municipality_ids = pledges.values("municipality_id")
    walks = walks_section(municipality_ids, period)
    feedback = feedback_section(municipality_ids, period)
    per_pledge = pledges_section(
        [(c, prog) for c, (_row, prog) in zip(commitments, computed, strict=True)]
    )
    summary = summary_section(
        [
            [_("Nivå"), level_label],
            [_("Område"), name],
            [_("Rapportperiod"), str(period)],
            [_("Antal löften"), len(per_pledge.rows)],
            [_("Antal åtaganden"), len(commitments)],
            [_("Genomförda insatser i perioden"), sum(row[1] for row in months.rows)],
            [_("Registreringar i perioden"), sum(row[2] for row in months.rows)],
            *dialogue_summary(walks, feedback),
            *state_counts(prog for _row, prog in computed),
        ]
    )
    commitments_part = commitments_section([row for row, _prog in computed], with_pledge=True)
    return Report(
        title=_("Översikt: %(name)s") % {"name": name},
        subtitle=f"{level_label} · {period}",
        period=period,
        sections=[
            summary,
            per_pledge,
            commitments_part,
            months,
            walks,
            feedback,
        ],
        filename=f"oversikt-{slug}-{period.start.isoformat()}-{period.end.isoformat()}",
        is_demo=any(c.pledge.is_demo for c in commitments) or walks.extra["is_example"],
    )


def problems_section(parts):
    """The tables' "Problem och effekter": one row per indicator value, one row for a
    problem or indicator without any."""
    rows = []
    for problem in parts:
        first = [
            problem.title,
            problem.description,
            "; ".join(problem.places),
            "; ".join(problem.sources),
            "; ".join(f"{label}: {state_label}" for label, _s, state_label in problem.commitments)
            or "; ".join(problem.focus_areas),
        ]
        if not problem.indicators:
            rows.append([*first, _("Ingen indikator"), "", None, "", "", ""])
        for indicator in problem.indicators:
            label = f"{indicator.label}, {indicator.place}" if indicator.place else indicator.label
            if not indicator.values:
                rows.append([*first, label, "", None, indicator.source, "", ""])
            for value in indicator.values:
                rows.append(
                    [
                        *first,
                        label,
                        value.period,
                        value.value,
                        value.source,
                        value.note,
                        _("Ja") if value.is_example else _("Nej"),
                    ]
                )
    return Section(
        key="problems",
        sheet=_("Problem och effekter"),
        title=_("Problem och effekter"),
        columns=[
            Column(_("Problem")),
            Column(_("Beskrivning")),
            Column(_("Platser")),
            Column(_("Källor")),
            Column(_("Arbetet som svarar på problemet")),
            Column(_("Indikator")),
            Column(_("Period")),
            Column(_("Värde"), "decimal"),
            Column(_("Källa")),
            Column(_("Kommentar")),
            Column(_("Exempel")),
        ],
        rows=rows,
        note=_(NOT_CAUSE),
    )
