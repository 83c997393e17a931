"""The problem picture behind a löfte, and the figures that show whether it changed.

A `Problem` belongs to one löfte (short title, description, places, free-text sources) and
may be carried over from the previous löfte's problem. Commitments and focus areas say which
problems they answer (`Problem.commitments`, `Problem.focus_areas`). An `Indicator` is a
figure a kommun follows (optionally for one place) with measured `IndicatorValue`s per
period; it measures one or more problems. The figures show how the situation developed; they
do not by themselves show what the work achieved, and the pages say so.

The models are in `pledges.models` (with `attach_problems`, which the page's löfte query
calls); here are what the pages, the report and the admin do with them.
"""

import datetime
from decimal import Decimal

from pledges.models import (
    IndicatorValue,
    Problem,
    attach_problems,
)


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
