"""EXPLAIN ANALYZE of the hot queries on the benchmark database (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_medborgarlofte \
        SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/explain.py

The queries are the shapes the public pages, feeds and exports run (kommun page: the
kommun's löften and the current löfte's commitments with their achieved sums; commitment
page: its latest activities; feeds: the latest public activities; exports: every public
activity in a streaming order; conditional GET and the national summary). Reviewed plans
and conclusions are in docs/performance.md.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count, Max, Q  # noqa: E402
from django.utils import timezone  # noqa: E402

from pledges.models import Activity, Commitment, Pledge  # noqa: E402

today = timezone.localdate()
pledge = (
    Pledge.objects.filter(slug__startswith="skala-")
    .annotate(n=Count("commitments__activities"))
    .order_by("-n")
    .first()
)
slug = pledge.municipality.slug
commitment = pledge.commitments.annotate(n=Count("activities")).order_by("-n").first()
public = Activity.objects.public()

QUERIES = {
    "kommun page: the kommun's published löften, newest first": Pledge.objects.public()
    .filter(municipality__slug=slug)
    .select_related("police_area")
    .order_by("-start_date"),
    "kommun/löfte page: commitments of a löfte with achieved sums": Commitment.objects.filter(
        pledge=pledge
    ).with_achieved(),
    "commitment page: its latest 50 activities": Activity.objects.filter(
        commitment=commitment
    ).order_by("-date", "-id")[:50],
    "police-area page: current löften of the area": Pledge.objects.public()
    .current(today)
    .filter(police_area=pledge.police_area)
    .select_related("municipality"),
    "national feed: latest 50 public activities": public.select_related(
        "commitment__pledge__municipality"
    ).order_by("-date", "-id")[:50],
    "kommun feed: latest 50 public activities of a kommun": public.filter(
        commitment__pledge__municipality__slug=slug
    )
    .select_related("commitment__pledge")
    .order_by("-date", "-id")[:50],
    "conditional GET: last change of a kommun's löften": Pledge.objects.filter(
        municipality__slug=slug
    ).values("municipality"),
    "CSV export in (date, id) order (streams)": public.select_related(
        "commitment__pledge__municipality"
    ).order_by("-date", "-id"),
    "CSV export in kommun-name order (sorts everything first)": public.select_related(
        "commitment__pledge__municipality"
    ).order_by("commitment__pledge__municipality__name", "date", "id"),
    "API list: published löften by kommun": Pledge.objects.public()
    .select_related("municipality", "police_area")
    .order_by("municipality__name", "-start_date")[:50],
}


def explain_aggregate(title, queryset, **aggregates):
    # QuerySet.aggregate() cannot be explained directly: explain the equivalent values().
    print(f"\n## {title}\n")
    print(queryset.annotate(**aggregates).values(*aggregates).explain(analyze=True, buffers=True))


for title, queryset in QUERIES.items():
    if title.startswith("conditional GET"):
        explain_aggregate(
            title,
            queryset,
            pledge=Max("updated_at"),
            published=Max("published_at", filter=Q(published_at__lte=timezone.now())),
            commitment=Max("commitments__updated_at"),
            activity=Max("commitments__activities__updated_at"),
        )
        continue
    print(f"\n## {title}\n")
    print(queryset.explain(analyze=True, buffers=True))

print("\n## national summary: activities this year\n")
print(
    public.filter(date__gte=today.replace(month=1, day=1), date__lte=today)
    .values("pk")
    .explain(analyze=True, buffers=True)
)
