"""The map of löften: each kommun's shape from reference/kommuner_map.json (built once by
reference/build_map.py from SCB's borders), shaded by the state of its löften and linked
to its page. Drawn as inline SVG by `templates/includes/kommun_map.html`: no tiles, no
JavaScript, no request to anyone else."""

import dataclasses
import functools
import json
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pledges.models import Municipality, PledgeState

MAP_FILE = Path(settings.BASE_DIR) / "reference" / "kommuner_map.json"
# Room around a zoomed map (a police area's kommuner), in viewBox units.
ZOOM_MARGIN = 6


@functools.cache
def geometry():
    """The committed shapes: {"viewBox": [x, y, w, h], "kommuner": {code: {d, bbox, name}}}."""
    with MAP_FILE.open(encoding="utf-8") as handle:
        return json.load(handle)


@dataclasses.dataclass(frozen=True)
class Place:
    """What the map needs of one kommun; plain values, so the list can be cached."""

    code: str
    slug: str
    name: str
    state: str


def places(municipalities=None, today=None):
    """One Place per kommun of `municipalities` (default: all), with its PledgeState.
    One query (`Municipality.objects.with_pledge_state()`)."""
    queryset = municipalities if municipalities is not None else Municipality.objects.all()
    rows = (
        queryset.with_pledge_state(today or timezone.localdate())
        .order_by("code")
        .only("code", "slug", "name")
    )
    return [Place(m.code, m.slug, m.name, m.pledge_state) for m in rows]


@dataclasses.dataclass(frozen=True)
class Shape:
    href: str
    label: str
    state: str
    d: str


def build(places_, *, zoom=False):
    """The map's context: its viewBox, one Shape per kommun that has one, and the legend
    rows (state, label) in a fixed order. `zoom` frames the given kommuner instead of the
    whole country."""
    data = geometry()
    labels = dict(PledgeState.choices)
    shapes = []
    boxes = []
    for place in places_:
        shape = data["kommuner"].get(place.code)
        if shape is None:
            continue
        boxes.append(shape["bbox"])
        shapes.append(
            Shape(
                href=reverse("pledges:municipality", args=[place.slug]),
                label=f"{place.name}: {labels[place.state]}",
                state=place.state,
                d=shape["d"],
            )
        )
    view_box = data["viewBox"]
    if zoom and boxes:
        x0 = min(b[0] for b in boxes) - ZOOM_MARGIN
        y0 = min(b[1] for b in boxes) - ZOOM_MARGIN
        x1 = max(b[2] for b in boxes) + ZOOM_MARGIN
        y1 = max(b[3] for b in boxes) + ZOOM_MARGIN
        view_box = [x0, y0, x1 - x0, y1 - y0]
    present = {shape.state for shape in shapes}
    # The fill patterns are in viewBox units: scale them with the frame, so that a zoomed
    # map's hatching is as fine on screen as the national map's (a period of about 4 px).
    size = max(view_box[2], view_box[3] * 0.42) / 100
    return {
        "view_box": " ".join(str(v) for v in view_box),
        "pattern": {
            "size": f"{size:.2f}",
            "line": f"{size * 0.4:.2f}",
            "dot": f"{size * 0.27:.2f}",
            "centre": f"{size / 2:.2f}",
        },
        "shapes": shapes,
        "legend": [
            (state, label, sum(1 for s in shapes if s.state == state))
            for state, label in PledgeState.choices
            if state in present or state != PledgeState.UPCOMING
        ],
    }
