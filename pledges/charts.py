"""Geometry for the inline SVG progress chart: numbers in, coordinates out (no database)."""

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 260
# Room for four-digit y-axis labels at the 24 px the stylesheet uses on phones.
LEFT = 66
RIGHT = 12
TOP = 14
BOTTOM = 30


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    achieved_points: str
    expected_points: str
    y_ticks: list  # (y, label)
    x_labels: list  # (x, month)
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    target_y: str | None  # formatted for SVG, like the points


def _fmt(value):
    # SVG coordinates need a dot as decimal separator whatever the language.
    return f"{value:.1f}"


def build(rows, target):
    """A Chart for month rows (see progress.cumulative_by_month) against `target`."""
    if not rows:
        return None
    peak = max([target or 0] + [row.cumulative for row in rows] + [1])
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    steps = max(1, len(rows) - 1)

    def x(index):
        return LEFT + plot_w * index / steps if len(rows) > 1 else LEFT + plot_w / 2

    def y(value):
        return TOP + plot_h * (1 - value / peak)

    achieved = " ".join(f"{_fmt(x(i))},{_fmt(y(r.cumulative))}" for i, r in enumerate(rows))
    expected = " ".join(
        f"{_fmt(x(i))},{_fmt(y(r.expected))}" for i, r in enumerate(rows) if r.expected is not None
    )
    ticks = [(_fmt(y(v)), v) for v in sorted({0, peak // 2, peak})]
    labels = [(_fmt(x(0)), rows[0].month)]
    if len(rows) > 1:
        labels.append((_fmt(x(len(rows) - 1)), rows[-1].month))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        achieved_points=achieved,
        expected_points=expected,
        y_ticks=ticks,
        x_labels=labels,
        plot_left=LEFT,
        plot_right=WIDTH - RIGHT,
        plot_top=TOP,
        plot_bottom=HEIGHT - BOTTOM,
        target_y=_fmt(y(target)) if target else None,
    )
