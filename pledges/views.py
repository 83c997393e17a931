"""Public pages for residents: find your kommun, read its löfte and how far it has come."""

import functools
import hashlib

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from pagecache.pages import (
    municipality_scopes,
    nation_scopes,
    page_value,
    police_area_scopes,
    public_page,
)
from pagecache.versions import NATION, REFERENCE, versions
from pledges import charts, maps, progress
from pledges.figures import home_summary, states_on
from pledges.history import public_changes
from pledges.models import Activity, Commitment, County, Municipality, Pledge, PoliceArea
from pledges.problems import problem_sections
from pledges.sorting import swedish_sorted

# The kommun page's first screens are for the commitments; the rest is a click away.
LATEST_ACTIVITIES = 5
ACTIVITIES_PER_PAGE = 25


@public_page(nation_scopes)
@require_safe
def home(request):
    query = request.GET.get("q", "").strip()[:100]
    results = swedish_sorted(Municipality.objects.search(query)) if query else None
    if results and len(results) == 1:
        # One match: the resident was looking for that kommun, so go there.
        return redirect(results[0])

    def counties():
        # Called by the template only when its cached fragment is cold.
        return [
            (county, swedish_sorted(county.municipalities.all()))
            for county in County.objects.with_municipalities()
        ]

    # Read by public_page already for an anonymous visitor; otherwise one query here.
    content_versions = getattr(request, "content_versions", None) or versions([NATION, REFERENCE])
    figures = home_summary(content_versions)
    return render(
        request,
        "pledges/home.html",
        {
            "query": query,
            "results": results,
            "counties": counties,
            "summary": figures["summary"],
            "municipality_total": figures["municipality_total"],
            "recent": figures.get("recent", []),
            "map": functools.cache(lambda: maps.build(figures["map_places"])),
            "map_key": hashlib.sha256(repr(figures["map_places"]).encode()).hexdigest(),
            "current": figures["summary"].named,
            "current_slugs": {slug for _name, slug in figures["summary"].named},
            "current_key": ",".join(slug for _name, slug in figures["summary"].named),
            "reference_version": content_versions[REFERENCE],
        },
    )


def choose_pledge(pledges, today):
    """The löfte a kommun's page shows: the current one, else the latest that has started,
    else the next one to start. `pledges` are ordered newest first. An invented example
    löfte (`is_example`, the demo's next löfte) is shown only when the kommun has no other:
    it is listed under the kommun's other löften instead."""
    real = [pledge for pledge in pledges if not pledge.is_example]
    pledges = real or pledges
    for pledge in pledges:
        if pledge.is_running(today):
            return pledge
    for pledge in pledges:
        if pledge.has_started(today):
            return pledge
    return pledges[-1] if pledges else None


def with_outcomes(others, today):
    """`others` (from `for_listing()`) with `outcome` set: an ended löfte's commitments
    counted by state ("2017: 1 uppfyllt, 1 delvis uppfyllt"), None for the others."""
    for other in others:
        other.outcome = other.outcome_summary(today)
    return others


def county_line(municipality, row, *, current):
    """What the kommun page's line among its län's kommuner says ("En av 12 kommuner i
    länet med ett aktuellt löfte"), from `with_county_standing()`'s annotations on `row`."""
    return {
        "county": municipality.county,
        "current": current,
        "count": row.county_current,
        "total": row.county_total,
    }


def render_pledge(request, pledge, *, others, municipality_page, county_line=None):
    """A löfte's page (with `Pledge.objects.prefetch_page()`'s lists). What no activity
    changes is read and worked out by `about`, which the template calls only for a part not
    in the cache."""
    today = timezone.localdate()
    activities = list(Activity.objects.latest_public_for(pledge, LATEST_ACTIVITIES))
    sections = pledge.sections()

    @functools.cache
    def about():
        Pledge.objects.prefetch_about(pledge)
        return {
            "has_follow_up_section": bool(pledge.follow_up_list or pledge.follow_up_description),
            "changes": public_changes(
                pledge, extensions=pledge.extensions.all(), decisions=pledge.decisions.all()
            ),
            "has_area_descriptions": any(area and area.description for area, _ in sections),
            "others": with_outcomes([o for o in others if o.pk != pledge.pk], today),
        }

    commitments = list(pledge.commitments.all())
    reported = sum(1 for commitment in commitments if commitment.outcome)

    return render(
        request,
        "pledges/pledge.html",
        {
            "municipality": pledge.municipality,
            "pledge": pledge,
            "sections": sections,
            "summary": pledge.state_counts(today),
            "activities": activities,
            "shows_examples": pledge.is_demo or any(a.is_example for a in activities),
            "municipality_page": municipality_page,
            "today": today,
            "running": pledge.is_running(today),
            "ended": pledge.has_ended(today),
            "upcoming": not pledge.has_started(today),
            # Ended löften: how many commitments have a reported outcome ("nedan står
            # utfallet" only when all have one).
            "outcomes_reported": reported,
            "outcomes_complete": bool(commitments) and reported == len(commitments),
            "about": about,
            "county_line": county_line,
            # Called by the template only when its cached part is cold; no queries.
            "problems": functools.cache(lambda: problem_sections(pledge)),
        },
    )


def municipality_pledges(request, slug, today, pledge_slug=None):
    """A kommun's public löften, whole, newest first, and the one its page shows (the löfte
    `pledge_slug`, else `choose_pledge`'s) with its focus areas and its commitments with
    their sums (`achieved`), or None. No activity changes the löften: they are kept under
    the kommun's text version, so a page made again after an activity was logged reads only
    what the activities changed (`attach_achieved`, on a copy from the cache)."""
    loaded = False

    def load():
        nonlocal loaded
        loaded = True
        pledges = list(
            Pledge.objects.public()
            .filter(municipality__slug=slug)
            .for_municipality_page()
            .with_county_standing(today)
        )
        if pledge_slug is None:
            chosen = choose_pledge(pledges, today)
        else:
            chosen = next((pledge for pledge in pledges if pledge.slug == pledge_slug), None)
        if chosen is not None:
            Pledge.objects.prefetch_page(chosen)
        return pledges, chosen and chosen.pk

    pledges, chosen = page_value(
        request, f"municipality-pledges:{slug}:{pledge_slug}", load, texts_only=True
    )
    chosen = next((pledge for pledge in pledges if pledge.pk == chosen), None)
    if chosen is not None and not loaded:
        # The sums in the cached copy are those of when it was stored.
        Pledge.objects.attach_achieved(chosen)
    return pledges, chosen


@public_page(municipality_scopes)
@require_safe
def municipality(request, slug):
    today = timezone.localdate()
    pledges, chosen = municipality_pledges(request, slug, today)
    if chosen is None:
        municipality = get_object_or_404(
            Municipality.objects.with_county_standing(today), slug=slug
        )
        return render(
            request,
            "pledges/municipality_empty.html",
            {
                "municipality": municipality,
                "police_areas": municipality.police_areas.all(),
                "county_line": county_line(municipality, municipality, current=False),
            },
        )
    return render_pledge(
        request,
        chosen,
        others=pledges,
        municipality_page=True,
        county_line=county_line(
            chosen.municipality,
            chosen,
            current=any(pledge.is_running(today) for pledge in pledges),
        ),
    )


@public_page(municipality_scopes)
@require_safe
def pledge_detail(request, slug, pledge_slug):
    pledges, pledge = municipality_pledges(request, slug, timezone.localdate(), pledge_slug)
    if pledge is None:
        raise Http404
    return render_pledge(request, pledge, others=pledges, municipality_page=False)


@public_page(municipality_scopes)
@require_safe
def commitment_detail(request, slug, pledge_slug, pk):
    commitment = get_object_or_404(
        Commitment.objects.for_public_page(),
        pk=pk,
        pledge__slug=pledge_slug,
        pledge__municipality__slug=slug,
    )
    pledge = commitment.pledge
    today = timezone.localdate()
    state = commitment.progress(today=today)
    activities = Activity.objects.filter(commitment=commitment)

    monthly = list(activities.monthly_totals())
    rows = []
    if commitment.is_measurable:
        rows = progress.cumulative_by_month(
            {row["month"]: row["total"] for row in monthly},
            start=pledge.start_date,
            end=pledge.end_date,
            total=state.target,
            today=today,
        )
    has_examples = any(row["examples"] for row in monthly)
    if state.final_entered and not monthly:
        # Nothing was logged: the final figure entered at closing is all there is, and a
        # chart of zeros beside it would contradict it.
        rows = []

    paginator = Paginator(activities.for_public_list(), ACTIVITIES_PER_PAGE)
    page = paginator.get_page(request.GET.get("sida"))
    return render(
        request,
        "pledges/commitment.html",
        {
            "municipality": pledge.municipality,
            "pledge": pledge,
            "commitment": commitment,
            "progress": state,
            "rows": rows,
            "chart": charts.build(rows, state.target),
            # What the chart's line reaches: the logged activities, not a final figure.
            "chart_total": rows[-1].cumulative if rows else 0,
            "page": page,
            "notes": commitment.follow_up_notes.all(),
            "shows_examples": pledge.is_demo or has_examples,
            "running": pledge.is_running(today),
            "ended": pledge.has_ended(today),
        },
    )


def area_summary(municipalities):
    """The states counted over the kommuner's current löften, to explain those shown."""
    states = {}
    for municipality in municipalities:
        for state, count in (municipality.summary.states if municipality.summary else {}).items():
            states[state] = states.get(state, 0) + count
    return progress.Summary(states=states)


@public_page(police_area_scopes)
@require_safe
def police_area(request, slug):
    today = timezone.localdate()
    try:
        area = PoliceArea.objects.get_public_page(today, states_of=states_on(today), slug=slug)
    except PoliceArea.DoesNotExist:
        raise Http404 from None
    municipalities = swedish_sorted(area.municipalities.all())
    return render(
        request,
        "pledges/police_area.html",
        {
            "area": area,
            "municipalities": municipalities,
            "shows_examples": any(
                m.current_pledge is not None and m.current_pledge.is_demo for m in municipalities
            ),
            "today": today,
            "map": maps.build(
                maps.places(Municipality.objects.filter(police_areas=area), today), zoom=True
            ),
            "area_summary": area_summary(municipalities),
        },
    )
