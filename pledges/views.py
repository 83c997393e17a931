"""Public pages for residents: find your kommun, read its löfte and how far it has come."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from dialogues.selectors import municipality_summary
from pledges import charts, progress
from pledges.cache import home_summary
from pledges.freshness import NATION, REFERENCE, versions
from pledges.history import public_changes
from pledges.models import Activity, Commitment, County, Municipality, Pledge, PoliceArea
from pledges.sorting import swedish_sorted

LATEST_ACTIVITIES = 10
ACTIVITIES_PER_PAGE = 25


@require_safe
def home(request):
    query = request.GET.get("q", "").strip()[:100]
    results = swedish_sorted(Municipality.objects.search(query)) if query else None

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
            "reference_version": content_versions[REFERENCE],
        },
    )


def choose_pledge(pledges, today):
    """The löfte a kommun's page shows: the current one, else the latest that has started,
    else the next one to start. `pledges` are ordered newest first."""
    for pledge in pledges:
        if pledge.is_running(today):
            return pledge
    for pledge in pledges:
        if pledge.has_started(today):
            return pledge
    return pledges[-1] if pledges else None


def render_pledge(request, pledge, *, others, municipality_page):
    today = timezone.localdate()
    activities = list(Activity.objects.latest_public_for(pledge, LATEST_ACTIVITIES))
    return render(
        request,
        "pledges/pledge.html",
        {
            "municipality": pledge.municipality,
            "pledge": pledge,
            "sections": pledge.sections(),
            "summary": pledge.state_counts(today),
            "activities": activities,
            "others": [other for other in others if other.pk != pledge.pk],
            "shows_examples": pledge.is_demo or any(a.is_example for a in activities),
            "municipality_page": municipality_page,
            "today": today,
            "running": pledge.is_running(today),
            "ended": pledge.has_ended(today),
            "upcoming": not pledge.has_started(today),
            "changes": public_changes(pledge, extensions=pledge.extensions.all()),
            "dialogue_summary": (
                municipality_summary(pledge.municipality) if municipality_page else None
            ),
        },
    )


@require_safe
def municipality(request, slug):
    municipality = get_object_or_404(
        Municipality.objects.prefetch_related("police_areas"), slug=slug
    )
    today = timezone.localdate()
    pledges = list(Pledge.objects.published().filter(municipality=municipality).for_listing())
    chosen = choose_pledge(pledges, today)
    if chosen is None:
        return render(
            request,
            "pledges/municipality_empty.html",
            {
                "municipality": municipality,
                "police_areas": municipality.police_areas.all(),
                "dialogue_summary": municipality_summary(municipality),
            },
        )
    pledge = Pledge.objects.get_public_page(pk=chosen.pk)
    return render_pledge(request, pledge, others=pledges, municipality_page=True)


@require_safe
def pledge_detail(request, slug, pledge_slug):
    try:
        pledge = Pledge.objects.published().get_public_page(
            municipality__slug=slug, slug=pledge_slug
        )
    except Pledge.DoesNotExist:
        raise Http404 from None
    others = Pledge.objects.published().filter(municipality=pledge.municipality_id).for_listing()
    return render_pledge(request, pledge, others=list(others), municipality_page=False)


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
            "page": page,
            "notes": commitment.follow_up_notes.all(),
            "shows_examples": pledge.is_demo or has_examples,
            "running": pledge.is_running(today),
            "ended": pledge.has_ended(today),
        },
    )


@require_safe
def police_area(request, slug):
    today = timezone.localdate()
    try:
        area = PoliceArea.objects.get_public_page(today, slug=slug)
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
        },
    )
