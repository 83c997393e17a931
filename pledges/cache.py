"""The cache, used safely: entries keyed by content versions, and a cache that is away
costs a render, never an error page."""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from pledges import maps
from pledges.freshness import (
    NATION,
    REFERENCE,
    municipality_scope,
    municipality_versions,
    versions,
)
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


def cache_get_many(keys):
    try:
        return cache.get_many(keys)
    except Exception:
        logger.warning("Cache unavailable for get_many", exc_info=True)
        return {}


def cache_set_many(values, timeout):
    try:
        cache.set_many(values, timeout)
    except Exception:
        logger.warning("Cache unavailable for set_many", exc_info=True)


def cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cache unavailable for set", exc_info=True)


def municipality_states(pledges_by_kommun, today):
    """{kommun slug: {state: count}} for {kommun slug: [current pledge id, ...]}, each
    kommun's counts cached under its own version, the date and the time step: after a write
    only that kommun's are counted again (a sum over its activities), not the nation's. One
    query for the versions, one cache round trip, one query for the kommuner not cached."""
    found = versions([REFERENCE, *(municipality_scope(slug) for slug in pledges_by_kommun)])
    # Bulk loads move the reference version only; the löften are in the key in case the
    # time step made another one current.
    common = f"{found[REFERENCE]}:{today}:{time_step()}"
    keys = {
        slug: (
            f"municipality-states:{slug}:{found[municipality_scope(slug)]}:{common}:"
            + ",".join(map(str, sorted(pks)))
        )
        for slug, pks in pledges_by_kommun.items()
    }
    cached = cache_get_many(list(keys.values()))
    counts = {slug: cached[key] for slug, key in keys.items() if key in cached}
    missing = {slug: pks for slug, pks in pledges_by_kommun.items() if slug not in counts}
    if missing:
        made = Pledge.objects.states_by_municipality(missing, today)
        cache_set_many({keys[slug]: made[slug] for slug in made}, settings.PAGE_CACHE_SECONDS)
        counts.update(made)
    return counts


def count_by_municipality(queryset, path, name):
    """The number of rows of `queryset`, summed over kommuner (`path` leads from a row to
    its kommun's slug), each kommun's count cached under its own version and `name` (what
    `queryset` selects): after a write only that kommun's rows are counted again, not a
    million. One query for the kommuner and their versions, one cache round trip, one
    grouped count of the kommuner not cached (none when all are)."""
    found = municipality_versions()
    # Hashed: `name` may hold anything a cache key may not (spaces, a long filter).
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    common = f"{digest}:{found.pop(REFERENCE)}:{timezone.localdate()}:{time_step()}"
    keys = {slug: f"count:{common}:{slug}:{version}" for slug, version in found.items()}
    cached = cache_get_many(list(keys.values()))
    counts = {slug: cached[key] for slug, key in keys.items() if key in cached}
    missing = [slug for slug in keys if slug not in counts]
    if missing:
        made = dict.fromkeys(missing, 0)
        grouped = (
            queryset.filter(**{f"{path}__in": missing})
            .order_by()
            .values_list(path)
            .annotate(n=Count("pk"))
        )
        made.update(grouped)
        cache_set_many({keys[slug]: n for slug, n in made.items()}, settings.PAGE_CACHE_SECONDS)
        counts.update(made)
    return sum(counts.values())


def home_summary(content_versions=None):
    """The home page's figures: the kommuner with a current löfte and the state of their
    commitments (a progress.Summary), the number of kommuner and each kommun's place on the
    map (maps.places()). Five queries on a miss, four when every kommun's counts are cached
    (`municipality_states`), none on a hit (plus one to read the versions when the caller
    has not).

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
            "summary": Pledge.objects.national_summary(
                today, states_of=lambda pledges: municipality_states(pledges, today)
            ),
            "municipality_total": Municipality.objects.count(),
            "map_places": maps.places(today=today),
        }
        cache_set(key, figures, settings.PAGE_CACHE_SECONDS)
    return figures
