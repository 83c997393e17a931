"""The home page's national figures, cached (they aggregate over every löfte in the
country).

The entry is keyed by date, because "current" and "by today" change at midnight, and it is
cleared by the one path every write to public content passes (`pledges.freshness`).
With the default per-process LocMemCache the other worker processes catch up within
settings.NATIONAL_SUMMARY_TIMEOUT seconds.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from pledges.freshness import national_figures_key
from pledges.models import Municipality, Pledge


def home_summary():
    """The home page's figures: the state of current commitments (a progress.Summary) and
    the number of kommuner. Three queries on a miss, none on a hit."""
    today = timezone.localdate()
    key = national_figures_key(today)
    figures = cache.get(key)
    if figures is None:
        figures = {
            "summary": Pledge.objects.national_summary(today),
            "municipality_total": Municipality.objects.count(),
        }
        cache.set(key, figures, settings.NATIONAL_SUMMARY_TIMEOUT)
    return figures
