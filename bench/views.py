"""The *floor* the benchmark compares every page with: the same server, middleware and
template engine, no database access."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def floor(request):
    return render(request, "bench/floor.html")


@require_safe
def floor_layout(request):
    return render(request, "bench/floor_layout.html")
