"""Cached national summaries (the figures for the whole country on the home page).

They aggregate over every löfte and activity in the country (a million rows at national
scale), so they are computed once and kept in Django's cache until something they count
changes: whatever saves a löfte, a commitment or an activity calls
`invalidate_national_summary()` (services and admin `save_model`/`delete_model`; no
signals, by the project's convention). With the default per-process LocMemCache the other
worker processes catch up within settings.NATIONAL_SUMMARY_TIMEOUT seconds.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from pledges import maps
from pledges.models import Activity, Commitment, Municipality, Pledge

NATIONAL_SUMMARY_KEY = "pledges:national-summary:v1"


def compute_national_summary(today=None):
    """Four queries, whatever the size of the data."""
    today = today or timezone.localdate()
    published = Pledge.objects.public()
    current = published.current(today)
    current_counts = current.aggregate(
        pledges=Count("pk"), municipalities=Count("municipality", distinct=True)
    )
    commitments = Commitment.objects.public().aggregate(
        current=Count("pk", filter=Q(pledge__start_date__lte=today, pledge__end_date__gte=today)),
        fulfilled=Count("pk", filter=Q(outcome=Commitment.Outcome.FULFILLED)),
        partly=Count("pk", filter=Q(outcome=Commitment.Outcome.PARTLY)),
        not_fulfilled=Count("pk", filter=Q(outcome=Commitment.Outcome.NOT_FULFILLED)),
    )
    activities_this_year = (
        Activity.objects.public()
        .filter(
            date__gte=today.replace(month=1, day=1),
            date__lte=today,
        )
        .count()
    )
    return {
        "municipalities_with_current_pledge": current_counts["municipalities"],
        "current_pledges": current_counts["pledges"],
        "current_commitments": commitments["current"],
        "ended_fulfilled": commitments["fulfilled"],
        "ended_partly": commitments["partly"],
        "ended_not_fulfilled": commitments["not_fulfilled"],
        "activities_this_year": activities_this_year,
        "computed_on": today,
    }


def national_summary():
    """The national summary from the cache, computed on a miss; zero queries on a hit.

    The entry is keyed by date too, because "current" and "this year" change at midnight.
    """
    today = timezone.localdate()
    key = f"{NATIONAL_SUMMARY_KEY}:{today.isoformat()}"
    summary = cache.get(key)
    if summary is None:
        summary = compute_national_summary(today)
        cache.set(key, summary, settings.NATIONAL_SUMMARY_TIMEOUT)
    return summary


def home_summary():
    """The home page's figures: the kommuner with a current löfte and the state of their
    commitments (a progress.Summary), the number of kommuner and each kommun's place on the
    map (maps.places()). Four queries on a miss, none on a hit; the map's states change with
    the löften, which invalidate this."""
    today = timezone.localdate()
    key = f"{NATIONAL_SUMMARY_KEY}:home-v2:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = {
            "summary": Pledge.objects.national_summary(today),
            "municipality_total": Municipality.objects.count(),
            "map_places": maps.places(today=today),
        }
        cache.set(key, figures, settings.NATIONAL_SUMMARY_TIMEOUT)
    return figures


def invalidate_national_summary():
    """Call after saving or deleting a löfte, commitment or activity.

    Runs after the transaction commits, so a concurrent request cannot re-cache the old
    figures between the delete and the commit.
    """

    def delete():
        today = timezone.localdate().isoformat()
        cache.delete_many(
            [f"{NATIONAL_SUMMARY_KEY}:{today}", f"{NATIONAL_SUMMARY_KEY}:home-v2:{today}"]
        )

    transaction.on_commit(delete)
