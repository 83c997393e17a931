"""The cache, used safely: entries keyed by content versions, and a cache that is away
costs a render, never an error page."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from pledges import maps
from pledges.freshness import NATION, REFERENCE, versions
from pledges.models import Municipality, Pledge

logger = logging.getLogger(__name__)

# Some changes come with time, not with a write: a löfte scheduled for publication, a walk
# that has begun, progress "by today". Cached pages and figures are made afresh at least
# this often (seconds).
TIME_STEP = 5 * 60


def time_step(now=None):
    """The number of the current TIME_STEP period."""
    return int((now or timezone.now()).timestamp()) // TIME_STEP


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:  # a shared cache that is down or slow must not break the page
        logger.warning("Cache unavailable for get", exc_info=True)
        return None


def cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cache unavailable for set", exc_info=True)


def home_summary(content_versions=None):
    """The home page's figures: the kommuner with a current löfte and the state of their
    commitments (a progress.Summary), the number of kommuner and each kommun's place on the
    map (maps.places()). Four queries on a miss, none on a hit (plus one to read the
    versions when the caller has not).

    Keyed by the national and reference versions, which every write moves, and by the date
    and time step, because "current", "by today" and scheduled publications change with
    time: every worker and host agrees at once after a write.
    """
    found = content_versions or versions([NATION, REFERENCE])
    today = timezone.localdate()
    key = f"national-figures:{found[NATION]}:{found[REFERENCE]}:{today}:{time_step()}"
    figures = cache_get(key)
    if figures is None:
        figures = {
            "summary": Pledge.objects.national_summary(today),
            "municipality_total": Municipality.objects.count(),
            "map_places": maps.places(today=today),
        }
        cache_set(key, figures, settings.PAGE_CACHE_SECONDS)
    return figures
