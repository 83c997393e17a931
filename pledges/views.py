"""Public pages for residents: find your kommun, read its löfte and how far it has come."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from pledges.models import County, Municipality
from pledges.sorting import swedish_sorted


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

    return render(
        request,
        "pledges/home.html",
        {"query": query, "results": results, "counties": counties},
    )


@require_safe
def municipality(request, slug):
    raise Http404


@require_safe
def pledge_detail(request, slug, pledge_slug):
    raise Http404


@require_safe
def commitment_detail(request, slug, pledge_slug, pk):
    raise Http404


@require_safe
def police_area(request, slug):
    raise Http404
