""" "Problem och effekter" in a löfte's follow-up report: the problems the löfte should
reduce, the commitments answering them with their states, and each indicator's values with
period and source. One set of plain values (`problem_parts`) that the document (HTML, PDF),
the Word file (`add_to_docx`) and the tables (XLSX, CSV:
`reports.sections.problems_section`) all write.
"""

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dialogues.models import Dialogue
from pledges.models import Commitment, attach_problems
from pledges.problems import indicator_chart, number, plain, year_or_day
from pledges.progress import State

NOT_CAUSE = (
    "Siffrorna visar hur läget har utvecklats; de visar inte ensamma vad insatserna har "
    "åstadkommit."
)


@dataclass
class ValuePart:
    period: str
    value: object  # Decimal
    value_words: str  # "12,5"
    source: str
    note: str
    is_example: bool


@dataclass
class IndicatorPart:
    label: str
    place: str
    direction: str
    source: str
    source_url: str
    baseline: str
    target: str
    values: list
    chart: object = None

    @property
    def has_examples(self):
        return any(v.is_example for v in self.values)

    @property
    def chart_alt(self):
        """The chart's alternative text: what it shows, with its numbers."""
        values = "; ".join(
            f"{v.period}: {v.value_words}" + (f" ({_('exempel')})" if v.is_example else "")
            for v in self.values
        )
        return _("%(name)s över tid: %(values)s.") % {"name": self.label, "values": values}


@dataclass
class ProblemPart:
    title: str
    description: str
    places: list
    sources: list
    commitments: list  # [(label, state, state label)]
    focus_areas: list
    indicators: list = field(default_factory=list)


def problem_parts(pledge, period, day):
    """The löfte's problems as plain values, the commitments' states judged as in the rest
    of the report (sums up to the period's end, on `day`, the report's `as_of`), the
    dialogues that brought a problem up first among its sources: seven queries, also for
    none."""

    attach_problems(pledge)
    dialogues = {}
    for link in (
        Dialogue.problems.through.objects.filter(problem__pledge=pledge)
        .select_related("dialogue")
        .order_by("dialogue__date", "dialogue_id")
    ):
        label = link.dialogue.built_on_label
        if link.dialogue.is_example:
            label += f" ({_('exempel')})"
        dialogues.setdefault(link.problem_id, []).append(label)
    commitments = {
        c.pk: c
        for c in Commitment.objects.active()
        .filter(pledge=pledge)
        .annotate(
            achieved_total=Coalesce(
                Sum("activities__quantity", filter=Q(activities__date__lte=period.end)), 0
            )
        )
    }
    parts = []
    for problem in pledge.problem_list:
        answering = []
        for pk in problem.commitment_ids:
            commitment = commitments.get(pk)
            if commitment is None:
                continue
            commitment.pledge = pledge
            state = commitment.progress(achieved=commitment.achieved_total, today=day).state
            answering.append((commitment.short_label, state, str(State.LABELS[state])))
        parts.append(
            ProblemPart(
                title=problem.title,
                description=problem.description,
                places=problem.place_list,
                sources=dialogues.get(problem.pk, []) + problem.source_list,
                commitments=answering,
                focus_areas=problem.focus_area_titles,
                indicators=[indicator_part(i) for i in problem.indicator_list],
            )
        )
    return parts


def indicator_part(indicator):
    baseline = target = ""
    if indicator.baseline_value is not None:
        baseline = f"{year_or_day(indicator.baseline_period)}: {number(indicator.baseline_value)}"
    if indicator.target_value is not None:
        target = number(indicator.target_value)
        if indicator.target_period:
            target = f"{year_or_day(indicator.target_period)}: {target}"
    return IndicatorPart(
        label=indicator.label,
        place=indicator.place,
        direction=str(indicator.get_direction_display()),
        source=indicator.source,
        source_url=indicator.source_url,
        baseline=baseline,
        target=target,
        values=[
            ValuePart(
                period=v.period_label,
                value=plain(v.value),
                value_words=number(v.value),
                source=v.source or indicator.source,
                note=v.note,
                is_example=v.is_example,
            )
            for v in indicator.value_list
        ],
        chart=indicator_chart(indicator),
    )


def add_to_docx(document, doc, table, facts_table):
    """Writes "Problem och effekter" into the Word `document` (python-docx); `table` and
    `facts_table` are reports.docx's helpers for a table with a header row (document,
    headers, rows, numeric) and a key/value table without one (document, rows)."""
    if not doc.problems:
        return
    document.add_heading(_("Problem och effekter"), level=1)
    document.add_paragraph(_(NOT_CAUSE))
    for problem in doc.problems:
        document.add_heading(problem.title, level=2)
        if problem.description:
            document.add_paragraph(problem.description)
        facts = [
            (_("Var"), ", ".join(problem.places)),
            (_("Källor"), "; ".join(problem.sources)),
            (_("Fokusområden"), "; ".join(problem.focus_areas)),
        ]
        facts = [fact for fact in facts if fact[1]]
        if facts:
            facts_table(document, facts)
        if problem.commitments:
            table(
                document,
                [_("Åtagande"), _("Läge")],
                [(label, state_label) for label, _s, state_label in problem.commitments],
            )
        else:
            document.add_paragraph(
                _(
                    "Inget åtagande med mål i löftet är kopplat till problemet; arbetet "
                    "beskrivs i löftets text."
                )
            )
        if not problem.indicators:
            document.add_paragraph(
                _(
                    "Problemet har ingen indikator i portalen än, så det går inte att se här "
                    "om det har minskat."
                )
            )
        for indicator in problem.indicators:
            document.add_heading(indicator.label, level=3)
            meta = [_("Plats") + f": {indicator.place}."] if indicator.place else []
            meta.append(indicator.direction + ".")
            if indicator.source:
                meta.append(_("Källa") + f": {indicator.source}.")
            if indicator.baseline:
                meta.append(_("Utgångsläge") + f" {indicator.baseline}.")
            if indicator.target:
                meta.append(_("Mål") + f" {indicator.target}.")
            document.add_paragraph(" ".join(meta))
            if indicator.values:
                table(
                    document,
                    [_("Period"), _("Värde"), _("Källa"), _("Kommentar")],
                    [
                        (
                            v.period,
                            v.value_words + (" (" + _("Exempel") + ")" if v.is_example else ""),
                            v.source,
                            v.note,
                        )
                        for v in indicator.values
                    ],
                    numeric=(1,),
                )
            else:
                document.add_paragraph(_("Inga värden har registrerats för indikatorn än."))
