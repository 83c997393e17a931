"""The national picture, /nationellt/ ("Läget i landet"): how many kommuner have a current
löfte, one that ended in the last twelve months, or neither; the commitments of the current
löften by kind and by state; the same figures per län and per police region, each län with
its kommuner (/nationellt/lan/<code>/); the län table as CSV. The API serves the same
figures (reports.api.national).

Made from `Municipality.objects.national_picture()` (kommuner, commitments by kind, current
löften, and the commitments' states, each kommun's kept under its own version like home's:
pledges.figures) and the län; cached like every public page under the national version
(`public_page`): a hit reads one content version and nothing else.
"""

from dataclasses import dataclass, field

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from pagecache.pages import nation_scopes, public_page
from pledges.csvstream import csv_lines
from pledges.figures import states_on
from pledges.models import Commitment, County, Municipality
from pledges.progress import State
from pledges.sorting import swedish_sorted

CURRENT = "current"
RECENTLY_ENDED = "recently_ended"
NONE = "none"
STANDING_LABELS = {
    CURRENT: gettext_lazy("Aktuellt löfte"),
    RECENTLY_ENDED: gettext_lazy("Löftet gick ut de senaste 12 månaderna"),
    NONE: gettext_lazy("Inget aktuellt löfte"),
}


def standing(municipality):
    """CURRENT, RECENTLY_ENDED or NONE for a kommun from `national_picture()`."""
    if municipality.has_current_pledge:
        return CURRENT
    if municipality.has_recent_pledge:
        return RECENTLY_ENDED
    return NONE


@dataclass
class Figures:
    """The figures of one row: a län, a police region or the country."""

    name: str = ""
    code: str = ""  # the län's SCB code, the region's slug
    municipalities: list = field(default_factory=list)
    current: int = 0
    recently_ended: int = 0
    none: int = 0
    kinds: dict = field(default_factory=dict)
    states: dict = field(default_factory=dict)
    demo: bool = False
    counties: list = field(default_factory=list)  # a region's län (Figures)
    state_values: list = field(default_factory=list)  # counts of `Picture.states`, in order

    def add(self, municipality):
        self.municipalities.append(municipality)
        setattr(self, municipality.standing, getattr(self, municipality.standing) + 1)
        self.demo = self.demo or municipality.has_demo_pledge
        for kind, count in municipality.kind_counts.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + count
        for state, count in municipality.state_counts.items():
            self.states[state] = self.states.get(state, 0) + count

    @property
    def total(self):
        return len(self.municipalities)

    @property
    def commitments(self):
        return sum(self.kinds.values())

    def kind_rows(self):
        """(kind, label, count) for every kind, in the order of `Commitment.Kind`."""
        return [(kind, label, self.kinds.get(kind, 0)) for kind, label in Commitment.Kind.choices]

    def sorted_municipalities(self):
        return swedish_sorted(self.municipalities)


@dataclass
class Picture:
    today: object
    country: Figures
    counties: list  # Figures per län, by code
    regions: list  # Figures per police region, by name
    states: list  # the states that occur, in State.LABELS order

    def state_rows(self):
        return [(state, State.LABELS[state], self.country.states[state]) for state in self.states]

    def state_headers(self):
        return [(state, State.LABELS[state]) for state in self.states]

    def county(self, code):
        return next((county for county in self.counties if county.code == code), None)


def national_picture(today=None):
    """The whole picture on `today`: the län with their police regions, then
    `Municipality.objects.national_picture()`."""
    today = today or timezone.localdate()
    regions = {}
    counties = {}
    for county in County.objects.select_related("police_region").order_by("code"):
        counties[county.pk] = Figures(name=county.name, code=county.code)
        region = county.police_region
        if region is not None:
            if region.pk not in regions:
                regions[region.pk] = Figures(name=region.name, code=region.slug)
            regions[region.pk].counties.append(counties[county.pk])
    country = Figures(name=_("Hela landet"))
    for municipality in Municipality.objects.national_picture(today, states_of=states_on(today)):
        municipality.standing = standing(municipality)
        municipality.standing_label = STANDING_LABELS[municipality.standing]
        municipality.commitment_count = sum(municipality.kind_counts.values())
        country.add(municipality)
        counties[municipality.county_id].add(municipality)
        region = municipality.county.police_region
        if region is not None:
            regions[region.pk].add(municipality)
    states = [state for state in State.LABELS if country.states.get(state)]
    for figures in [country, *counties.values(), *regions.values()]:
        figures.state_values = [figures.states.get(state, 0) for state in states]
    return Picture(
        today=today,
        country=country,
        counties=list(counties.values()),
        regions=swedish_sorted(regions.values(), key=lambda figures: figures.name),
        states=states,
    )


def county_rows(picture):
    """The län table as rows of (header, value) pairs, for the CSV and the API."""
    rows = []
    for county in picture.counties:
        row = [
            ("lanskod", county.code),
            ("lan", county.name),
            ("kommuner", county.total),
            ("med_aktuellt_lofte", county.current),
            ("lofte_gick_ut_senaste_12_manaderna", county.recently_ended),
            ("utan_aktuellt_lofte", county.none),
            ("ataganden_i_aktuella_loften", county.commitments),
        ]
        row += [(f"typ_{kind}", count) for kind, _label, count in county.kind_rows()]
        row += [(f"lage_{state}", county.states.get(state, 0)) for state in State.LABELS]
        row += [("exempeldata", county.demo), ("per_datum", picture.today)]
        rows.append(row)
    return rows


@public_page(nation_scopes)
@require_safe
def national(request):
    picture = national_picture()
    return render(request, "pledges/national.html", {"picture": picture, "today": picture.today})


@public_page(nation_scopes)
@require_safe
def national_county(request, code):
    picture = national_picture()
    county = picture.county(code)
    if county is None:
        raise Http404
    return render(
        request,
        "pledges/national_county.html",
        {"picture": picture, "county": county, "today": picture.today},
    )


@public_page(nation_scopes)
@require_safe
def national_csv(request):
    """The page's län table: one row per län, UTF-8 with BOM and semicolons like every CSV
    of the portal. Small, so made whole and cached like the page."""
    rows = county_rows(national_picture())
    header = [name for name, _value in rows[0]] if rows else []
    body = b"".join(csv_lines([header, *([value for _name, value in row] for row in rows)]))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lan.csv"'
    return response
