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
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from pledges.dates import day_bounds, month_starts
from pledges.models import Activity, Commitment, Pledge
from pledges.progress import State
from pledges.sorting import swedish_key

ACTIVITY_CHUNK = 2000


@dataclass
class Column:
    label: str
    kind: str = "text"  # text, int, decimal, date

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


def percent(achieved, target):
    """Achieved as a percentage of the target with one decimal, or None without a target."""
    if not target:
        return None
    value = Decimal(achieved) * 100 / Decimal(target)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def as_of(period):
    """The day a commitment's state is judged on: the period's end, or today if earlier."""
    return min(period.end, timezone.localdate())


# --- Querysets (one named function per report part) --------------------------------------


def commitments_with_period_totals(pledges, period):
    """Commitments of `pledges` (a queryset) with `achieved_period` (within the period) and
    `achieved_total` (from the start up to the period's end) annotated. One query, plus one
    for partners and one for follow-up notes in the period."""
    from django.db.models import Prefetch

    from pledges.models import FollowUpNote

    in_period = Q(activities__date__gte=period.start, activities__date__lte=period.end)
    up_to_end = Q(activities__date__lte=period.end)
    return (
        Commitment.objects.filter(pledge__in=pledges)
        .select_related("pledge__municipality", "focus_area")
        .prefetch_related(
            "responsible_partners",
            Prefetch(
                "follow_up_notes",
                queryset=FollowUpNote.objects.filter(
                    follow_up__date__gte=period.start, follow_up__date__lte=period.end
                )
                .select_related("follow_up")
                .order_by("follow_up__date", "id"),
                to_attr="period_notes",
            ),
        )
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


def commitment_row(commitment, period, *, with_pledge=False):
    prog = commitment.progress(achieved=commitment.achieved_total, today=as_of(period))
    expected_at_end = commitment.progress(
        achieved=commitment.achieved_total, today=period.end
    ).expected
    notes = " | ".join(
        f"{note.follow_up.date.isoformat()} {note.follow_up.title}: {note.note}"
        for note in getattr(commitment, "period_notes", [])
    )
    row = []
    if with_pledge:
        pledge = commitment.pledge
        row += [
            pledge.municipality.name,
            pledge.title,
            f"{pledge.start_date.isoformat()} – {pledge.end_date.isoformat()}",
            pledge.get_status_display(),
        ]
    row += [
        str(commitment),
        ", ".join(commitment.responsible_names()),
        commitment.get_target_kind_display().split(" (")[0],
        prog.target,
        commitment.achieved_period,
        commitment.achieved_total,
        expected_at_end,
        percent(commitment.achieved_total, prog.target),
        str(State.LABELS[prog.state]),
    ]
    if not with_pledge:
        row.insert(0, commitment.focus_area.title if commitment.focus_area else "")
        row.append(notes)
    return row, prog


def commitment_columns(*, with_pledge=False):
    columns = []
    if with_pledge:
        columns += [
            Column(_("Kommun")),
            Column(_("Löfte")),
            Column(_("Löftets period")),
            Column(_("Publicering")),
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


def commitments_section(commitments, period, *, with_pledge=False):
    rows = [commitment_row(c, period, with_pledge=with_pledge)[0] for c in commitments]
    return Section(
        key="commitments",
        sheet=_("Åtaganden"),
        title=_("Åtaganden"),
        columns=commitment_columns(with_pledge=with_pledge),
        rows=rows,
        note=_(
            "Uppnått totalt räknas från löftets start till periodens slut. Läget bedöms per "
            "periodens slut, eller per i dag om perioden inte är slut."
        ),
    )


def months_section(activities, period):
    rows = [
        [month.strftime("%Y-%m"), quantity, count]
        for month, quantity, count in activity_months(activities, period)
    ]
    return Section(
        key="months",
        sheet=_("Aktiviteter"),
        title=_("Genomförda insatser per månad"),
        columns=[
            Column(_("Månad")),
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
        for day, kommun, short, text, quantity, place, description, example in queryset.iterator(
            chunk_size=ACTIVITY_CHUNK
        ):
            yield [
                day,
                kommun,
                short or text[:80],
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


def walks_in_period(municipality_ids, period):
    """Held and planned walks of the kommuner that start in the period, with their finding
    counts per status: one query. `values_list` keeps sign-ups, descriptions and reports
    out of the SQL; a report never needs them."""
    from dialogues.models import Finding, SafetyWalk

    start, end = day_bounds(period.start, period.end)
    return (
        SafetyWalk.objects.filter(
            municipality_id__in=municipality_ids, starts_at__gte=start, starts_at__lt=end
        )
        .exclude(status=SafetyWalk.Status.CANCELLED)
        .annotate(
            findings_total=Count("findings"),
            findings_fixed=Count("findings", filter=Q(findings__status=Finding.Status.FIXED)),
            findings_open=Count("findings", filter=Q(findings__status=Finding.Status.OPEN)),
            findings_declined=Count("findings", filter=Q(findings__status=Finding.Status.DECLINED)),
        )
        .order_by("starts_at", "id")
        .values_list(
            "starts_at",
            "municipality__name",
            "area",
            "status",
            "participants",
            "findings_total",
            "findings_fixed",
            "findings_open",
            "findings_declined",
            "is_example",
        )
    )


def walks_section(municipality_ids, period):
    """Safety walks held or planned in the period and the status of their findings."""
    from dialogues.models import SafetyWalk

    labels = dict(SafetyWalk.Status.choices)
    rows = []
    example = False
    for starts_at, kommun, area, status, participants, *counts, is_example in walks_in_period(
        municipality_ids, period
    ):
        example = example or is_example
        rows.append(
            [
                timezone.localtime(starts_at).date(),
                kommun,
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


def feedback_per_category(municipality_ids, period):
    """Synpunkter received in the period per category and status: one query. Counts only:
    no text, no place, no contact details ever leave this function."""
    from dialogues.models import Feedback

    status = Feedback.Status
    start, end = day_bounds(period.start, period.end)
    return (
        Feedback.objects.filter(
            municipality_id__in=municipality_ids, created_at__gte=start, created_at__lt=end
        )
        .values("category__order", "category__name")
        .annotate(
            total=Count("id"),
            new=Count("id", filter=Q(status=status.NEW)),
            in_progress=Count("id", filter=Q(status=status.IN_PROGRESS)),
            forwarded=Count(
                "id",
                filter=Q(status__in=[status.FORWARDED_POLICE, status.FORWARDED_MUNICIPALITY]),
            ),
            closed=Count("id", filter=Q(status=status.CLOSED)),
            published=Count("id", filter=Q(is_published=True)),
        )
        .order_by("category__order", "category__name")
    )


FEEDBACK_COUNTS = ("total", "new", "in_progress", "forwarded", "closed", "published")


def feedback_section(municipality_ids, period):
    """Synpunkter per category in the period, with a total row."""
    rows = [
        [row["category__name"], *(row[key] for key in FEEDBACK_COUNTS)]
        for row in feedback_per_category(municipality_ids, period)
    ]
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


def state_counts(progresses):
    counts = {}
    for prog in progresses:
        counts[prog.state] = counts.get(prog.state, 0) + 1
    return [
        [str(_("Åtaganden: %(state)s") % {"state": State.LABELS[state]}), count]
        for state, count in sorted(counts.items(), key=lambda item: str(State.LABELS[item[0]]))
    ]


@dataclass
class Report:
    title: str
    subtitle: str
    period: object
    sections: list
    filename: str
    is_demo: bool = False

    def section(self, key):
        return next(s for s in self.sections if s.key == key)


def pledge_report(pledge, period):
    """The follow-up report of one löfte for a period: every section, numbers computed once."""
    commitments = list(commitments_with_period_totals(Pledge.objects.filter(pk=pledge.pk), period))
    for commitment in commitments:
        commitment.pledge = pledge  # progress() reads the period from the löfte
    rows_and_progress = [commitment_row(c, period) for c in commitments]
    activities = Activity.objects.filter(commitment__pledge=pledge)
    months = months_section(activities, period)
    total_quantity = sum(row[1] for row in months.rows)
    total_count = sum(row[2] for row in months.rows)
    walks = walks_section([pledge.municipality_id], period)
    feedback = feedback_section([pledge.municipality_id], period)
    summary = summary_section(
        [
            [_("Löfte"), pledge.title],
            [_("Kommun"), pledge.municipality.name],
            [_("Lokalpolisområde"), pledge.police_area.name if pledge.police_area else ""],
            [
                _("Löftets period"),
                f"{pledge.start_date.isoformat()} – {pledge.end_date.isoformat()}",
            ],
            [_("Rapportperiod"), str(period)],
            [_("Publicering"), pledge.get_status_display()],
            [_("Antal åtaganden"), len(commitments)],
            [_("Genomförda insatser i perioden"), total_quantity],
            [_("Registreringar i perioden"), total_count],
            *dialogue_summary(walks, feedback),
            *state_counts(prog for _row, prog in rows_and_progress),
        ]
    )
    commitments_part = commitments_section([], period)
    commitments_part.rows = [row for row, _prog in rows_and_progress]
    return Report(
        title=_("Uppföljning: %(title)s") % {"title": pledge.title},
        subtitle=f"{pledge.municipality.name} · {period}",
        period=period,
        sections=[
            summary,
            commitments_part,
            months,
            activity_list_section(activities, period),
            walks,
            feedback,
        ],
        filename=f"uppfoljning-{pledge.municipality.slug}-{pledge.slug}-"
        f"{period.start.isoformat()}-{period.end.isoformat()}",
        is_demo=pledge.is_demo or walks.extra["is_example"],
    )


def pledges_section(commitment_rows):
    """One row per löfte with its totals, from the commitment rows already computed."""
    totals = {}
    for commitment, prog in commitment_rows:
        pledge = commitment.pledge
        entry = totals.setdefault(
            pledge.pk,
            [pledge.municipality.name, pledge.title, pledge.get_status_display(), 0, 0, 0, 0, 0],
        )
        entry[3] += 1
        entry[4] += commitment.achieved_period
        entry[5] += commitment.achieved_total
        entry[6] += prog.state in (State.ACHIEVED, State.FULFILLED)
        entry[7] += prog.state == State.BEHIND
    return Section(
        key="pledges",
        sheet=_("Sammanfattning"),
        title=_("Löften"),
        columns=[
            Column(_("Kommun")),
            Column(_("Löfte")),
            Column(_("Publicering")),
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
    computed = [commitment_row(c, period, with_pledge=True) for c in commitments]
    activities = Activity.objects.filter(commitment__pledge__in=pledges)
    months = months_section(activities, period)
    kommuner = pledges.values("municipality_id")
    walks = walks_section(kommuner, period)
    feedback = feedback_section(kommuner, period)
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
    commitments_part = commitments_section([], period, with_pledge=True)
    commitments_part.rows = [row for row, _prog in computed]
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
