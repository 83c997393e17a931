"""The problem picture behind a löfte, and the figures that show whether it changed.

A `Problem` belongs to one löfte (short title, description, places, free-text sources) and
may be carried over from the previous löfte's problem. Commitments and focus areas say which
problems they answer (`Problem.commitments`, `Problem.focus_areas`). An `Indicator` is a
figure a kommun follows (optionally for one place) with measured `IndicatorValue`s per
period; it measures one or more problems. The figures show how the situation developed; they
do not by themselves show what the work achieved, and the pages say so.

Imported at the end of `pledges.models`, so the models are part of the app.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pagecache.versions import PublicContentMixin, PublicContentQuerySet
from pledges.models import Commitment, FocusArea, Municipality, Pledge, lines


class ProblemQuerySet(PublicContentQuerySet):
    def public(self, now=None):
        """Problems of public löften (`Pledge.objects.public()`)."""
        return self.filter(pledge__in=Pledge.objects.public(now).values("pk"))


class Problem(PublicContentMixin, models.Model):
    """One problem in a löfte's problem picture: what the löfte is meant to reduce."""

    content_scope = ("pledge", "pledge")

    pledge = models.ForeignKey(
        Pledge, verbose_name=_("löfte"), on_delete=models.CASCADE, related_name="problems"
    )
    title = models.CharField(
        _("problem"), max_length=200, help_text=_("Kort, till exempel ”Narkotika i centrum”.")
    )
    description = models.TextField(_("beskrivning"), blank=True)
    places = models.TextField(_("platser"), blank=True, help_text=_("En plats per rad."))
    sources = models.TextField(
        _("källor"),
        blank=True,
        validators=[MaxLengthValidator(4000)],
        help_text=_(
            "En källa per rad, till exempel ”Polisens trygghetsmätning 2024” eller ”Brås "
            "statistik över anmälda brott”."
        ),
    )
    commitments = models.ManyToManyField(
        Commitment,
        verbose_name=_("åtaganden som svarar på problemet"),
        blank=True,
        related_name="problems",
    )
    focus_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("fokusområden som svarar på problemet"),
        blank=True,
        related_name="problems",
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("fört över från"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        help_text=_("Samma problem i det föregående löftet."),
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = ProblemQuerySet.as_manager()

    class Meta:
        ordering = ["pledge", "order", "id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problem")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title=""),
                name="problem_has_title",
                violation_error_message=_("Ett problem behöver en rubrik."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def place_list(self):
        return lines(self.places)

    @property
    def source_list(self):
        return lines(self.sources)


class IndicatorQuerySet(PublicContentQuerySet):
    def public(self, now=None):
        """Indicators that measure a problem of a public löfte."""
        return self.filter(
            pk__in=Indicator.problems.through.objects.filter(
                problem__pledge__in=Pledge.objects.public(now).values("pk")
            ).values("indicator_id")
        )

    def get_by_name(self, municipality, name):
        """The kommun's indicator named `name` (case and surrounding spaces ignored)."""
        return self.get(municipality=municipality, name__iexact=name.strip())


class Indicator(PublicContentMixin, models.Model):
    """An effect indicator: a figure a kommun follows to see whether a problem shrinks."""

    content_scope = ("municipality", "municipality")

    class Direction(models.TextChoices):
        LOWER = "lower", _("Lägre är bättre")
        HIGHER = "higher", _("Högre är bättre")

    municipality = models.ForeignKey(
        Municipality, verbose_name=_("kommun"), on_delete=models.CASCADE, related_name="indicators"
    )
    place = models.CharField(
        _("plats"), max_length=200, blank=True, help_text=_("Tomt för hela kommunen.")
    )
    name = models.CharField(
        _("namn"),
        max_length=200,
        help_text=_(
            "Till exempel ”Andel som känner sig otrygga i centrum kvällstid”. Unikt inom "
            "kommunen: inläsningen av värden hittar indikatorn på namnet."
        ),
    )
    unit = models.CharField(
        _("enhet"),
        max_length=50,
        blank=True,
        help_text=_("Till exempel procent eller per 1 000 invånare."),
    )
    direction = models.CharField(
        _("bättre är"), max_length=6, choices=Direction.choices, default=Direction.LOWER
    )
    source = models.CharField(
        _("källa"),
        max_length=300,
        blank=True,
        help_text=_("Var siffrorna kommer ifrån, till exempel Polisens trygghetsmätning."),
    )
    source_url = models.URLField(_("länk till källan"), blank=True)
    baseline_period = models.DateField(
        _("utgångsläge, period"), null=True, blank=True, help_text=_("Året eller dagen.")
    )
    baseline_value = models.DecimalField(
        _("utgångsläge, värde"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_value = models.DecimalField(
        _("målvärde"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_period = models.DateField(
        _("målet gäller"), null=True, blank=True, help_text=_("När målvärdet ska vara nått.")
    )
    problems = models.ManyToManyField(
        Problem, verbose_name=_("mäter problemen"), blank=True, related_name="indicators"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="indicator_name_unique_per_municipality",
                violation_error_message=_("Kommunen har redan en indikator med det namnet."),
            ),
            models.CheckConstraint(
                condition=Q(baseline_period__isnull=True, baseline_value__isnull=True)
                | Q(baseline_period__isnull=False, baseline_value__isnull=False),
                name="indicator_baseline_whole",
                violation_error_message=_("Ange både period och värde för utgångsläget."),
            ),
            models.CheckConstraint(
                condition=Q(target_period__isnull=True) | Q(target_value__isnull=False),
                name="indicator_target_period_has_value",
                violation_error_message=_("Ange ett målvärde när målet har en period."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.place})" if self.place else self.name

    @property
    def label(self):
        """The name with its unit: "Andel otrygga (%)" (the place is said separately)."""
        return f"{self.name} ({self.unit})" if self.unit else self.name


class IndicatorValue(PublicContentMixin, models.Model):
    """One measured value of an indicator for a period (a year, or a day)."""

    content_scope = ("municipality", "indicator__municipality")

    class Granularity(models.TextChoices):
        YEAR = "year", _("år")
        DAY = "day", _("dag")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indikator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.DateField(
        _("period"), help_text=_("För ett helt år: årets första dag, med ”år” som period.")
    )
    granularity = models.CharField(
        _("periodens längd"), max_length=4, choices=Granularity.choices, default=Granularity.YEAR
    )
    value = models.DecimalField(_("värde"), max_digits=14, decimal_places=3)
    source = models.CharField(
        _("källa"), max_length=500, blank=True, help_text=_("En länk eller ett namn.")
    )
    note = models.TextField(_("kommentar"), blank=True)
    is_example = models.BooleanField(
        _("exempel"),
        default=False,
        help_text=_("Ett påhittat värde för demonstration; sidorna visar det som exempel."),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = PublicContentQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indikatorvärde")
        verbose_name_plural = _("indikatorvärden")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="indicator_value_unique_period",
                violation_error_message=_("Indikatorn har redan ett värde för perioden."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.period_label} {self.value}"

    def save(self, *args, **kwargs):
        if self.granularity == self.Granularity.YEAR and self.period:
            self.period = self.period.replace(month=1, day=1)
        super().save(*args, **kwargs)

    @property
    def period_label(self):
        return period_label(self.period, self.granularity)

    @property
    def source_is_link(self):
        return self.source.startswith(("https://", "http://"))


def period_label(day, granularity):
    if day is None:
        return ""
    if granularity == IndicatorValue.Granularity.YEAR:
        return str(day.year)
    return day.isoformat()


def plain(value):
    """A Decimal without trailing zeros or an exponent: 31.500 -> 31.5, 40.000 -> 40."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def number(value):
    """A Decimal as a reader writes it: no trailing zeros, a decimal comma."""
    if value is None:
        return ""
    value = Decimal(value).normalize()
    text = f"{value:f}"
    return text.replace(".", ",")


def parse_period(text):
    """(date, granularity) for "2024" or "2024-05-01"; ValueError otherwise."""
    text = (text or "").strip()
    if len(text) == 4 and text.isdigit():
        return datetime.date(int(text), 1, 1), IndicatorValue.Granularity.YEAR
    return datetime.date.fromisoformat(text), IndicatorValue.Granularity.DAY


def year_or_day(day):
    """A baseline's or target's period: a year when it is the year's first day."""
    if day is None:
        return ""
    return str(day.year) if (day.month, day.day) == (1, 1) else day.isoformat()


# --- The problems on a löfte's page --------------------------------------------------------


def attach_problems(pledge):
    """Sets `problem_list` on `pledge`: its problems in order, each with `commitment_ids`,
    `focus_area_ids` and `indicator_list` (its indicators, each with `value_list`, oldest
    first). Five queries whatever the number of problems, indicators and values, also for
    none, so every löfte's page runs the same number. Plain values, kept with the löfte in
    the page cache; `problem_sections()` joins them to the page's commitments."""
    problems = list(Problem.objects.filter(pledge=pledge).order_by("order", "id"))
    by_pk = {problem.pk: problem for problem in problems}
    for problem in problems:
        problem.commitment_ids, problem.focus_area_ids, problem.indicator_list = [], [], []
    links = Problem.commitments.through.objects.filter(problem__pledge=pledge).order_by("id")
    for problem_id, commitment_id in links.values_list("problem_id", "commitment_id"):
        by_pk[problem_id].commitment_ids.append(commitment_id)
    for problem in problems:
        problem.focus_area_titles = []
    links = Problem.focus_areas.through.objects.filter(problem__pledge=pledge).order_by(
        "focusarea__order", "focusarea_id"
    )
    for problem_id, area_id, title in links.values_list(
        "problem_id", "focusarea_id", "focusarea__title"
    ):
        by_pk[problem_id].focus_area_ids.append(area_id)
        by_pk[problem_id].focus_area_titles.append(title)
    measured = (
        Indicator.problems.through.objects.filter(problem__pledge=pledge)
        .select_related("indicator")
        .order_by("indicator__name", "id")
    )
    indicators = {}
    for link in measured:
        indicator = indicators.setdefault(link.indicator_id, link.indicator)
        indicator.value_list = []
        by_pk[link.problem_id].indicator_list.append(indicator)
    values = IndicatorValue.objects.filter(
        indicator__in=Indicator.problems.through.objects.filter(problem__pledge=pledge).values(
            "indicator_id"
        )
    ).order_by("indicator_id", "period")
    for value in values:
        indicators[value.indicator_id].value_list.append(value)
    pledge.problem_list = problems
    return pledge


def problem_sections(pledge):
    """The problems of a löfte's page (`attach_problems()`, run now when the löfte was read
    without it, as in a staff preview): each problem with `answered_by` (its public
    commitments, from the page's own, with their sums) and `answering_areas` (its focus
    areas), and each indicator with `chart` (or None without values). No queries."""
    if not hasattr(pledge, "problem_list"):
        attach_problems(pledge)
    commitments = list(pledge.commitments.all())
    areas = list(pledge.focus_areas.all())
    for problem in pledge.problem_list:
        ids = set(problem.commitment_ids)
        problem.answered_by = [c for c in commitments if c.pk in ids]
        area_ids = set(problem.focus_area_ids)
        problem.answering_areas = [a for a in areas if a.pk in area_ids]
        for indicator in problem.indicator_list:
            indicator.chart = indicator_chart(indicator)
            indicator.has_examples = any(v.is_example for v in indicator.value_list)
    return pledge.problem_list


# --- A small chart of an indicator's values -------------------------------------------------

CHART_WIDTH = 320
CHART_HEIGHT = 140
CHART_LEFT = 52
CHART_RIGHT = 12
CHART_TOP = 12
CHART_BOTTOM = 26


def _fmt(value):
    # SVG coordinates need a dot as decimal separator whatever the language.
    return f"{value:.1f}"


def indicator_chart(indicator):
    """Geometry for an indicator's values as a line over time, or None without values:
    {"width", "height", "points": [(x, y, value)], "line", "y_ticks": [(y, label)],
    "x_labels": [(x, label)], "plot_left", "plot_right", "plot_bottom", "target_y"}. The
    numbers themselves are in the table beside it; the chart is hidden from screen readers
    and described by a sentence."""
    values = indicator.value_list
    if not values:
        return None
    numbers = [Decimal(v.value) for v in values]
    target = indicator.target_value
    top = max([*numbers, *([Decimal(target)] if target is not None else [])])
    low = min([*numbers, *([Decimal(target)] if target is not None else []), Decimal(0)])
    span = (top - low) or Decimal(1)
    plot_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_h = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    days = [v.period.toordinal() for v in values]
    first, last = days[0], days[-1]

    def x(day):
        if last == first:
            return CHART_LEFT + plot_w / 2
        return CHART_LEFT + plot_w * (day - first) / (last - first)

    def y(value):
        return CHART_TOP + plot_h * float((top - Decimal(value)) / span)

    points = [(_fmt(x(d)), _fmt(y(n)), v) for d, n, v in zip(days, numbers, values, strict=True)]
    labels = [(_fmt(x(first)), values[0].period_label)]
    if last != first:
        labels.append((_fmt(x(last)), values[-1].period_label))
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "points": points,
        "line": " ".join(f"{px},{py}" for px, py, _v in points),
        "y_ticks": [(_fmt(y(low)), number(low)), (_fmt(y(top)), number(top))],
        "x_labels": labels,
        "plot_left": CHART_LEFT,
        "plot_right": CHART_WIDTH - CHART_RIGHT,
        "plot_top": CHART_TOP,
        "plot_bottom": CHART_HEIGHT - CHART_BOTTOM,
        "target_y": _fmt(y(target)) if target is not None else None,
    }


# --- Carrying problems to the next löfte ---------------------------------------------------


def carry_problems(*, old, new, focus_map, commitment_map):
    """Copies the problems of löfte `old` to `new` (its next löfte, a draft under review),
    each remembering the problem it was carried from, answered by the copies of the same
    commitments and focus areas (`*_map`: old pk -> copy) and measured by the same
    indicators (they belong to the kommun and go on). Part of
    `pledges.services.copy_pledge_for_next_period`'s transaction."""
    for problem in old.problems.prefetch_related("commitments", "focus_areas", "indicators"):
        copy = Problem.objects.create(
            pledge=new,
            title=problem.title,
            description=problem.description,
            places=problem.places,
            sources=problem.sources,
            order=problem.order,
            carried_from=problem,
        )
        copy.commitments.set(
            [commitment_map[c.pk] for c in problem.commitments.all() if c.pk in commitment_map]
        )
        copy.focus_areas.set(
            [focus_map[a.pk] for a in problem.focus_areas.all() if a.pk in focus_map]
        )
        copy.indicators.set(problem.indicators.all())
