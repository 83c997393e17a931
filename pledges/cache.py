"""The cache, used safely: entries keyed by content versions, and a cache that is away
costs a render, never an error page."""

import collections
import datetime
import hashlib
import logging
import threading

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from pledges import maps
from pledges.freshness import (
    NATION,
    REFERENCE,
    kommun_versions,
    municipality_text_scope,
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


def cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("Cache unavailable for set", exc_info=True)


class Kept:
    """Per-kommun figures that check themselves against the versions on every read (the
    API's totals, home's states): kept in this process's memory as well as in the cache,
    because the cache's least recently used entries make way for pages and these are
    costly to make again (a count over a million activities). The newest `size` are kept;
    the values are never changed in place, so threads can share them."""

    def __init__(self, size):
        self.size = size
        self.entries = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
                return value
        value = cache_get(key)  # made by another process, with a shared cache
        if value is not None:
            self._keep(key, value)
        return value

    def set(self, key, value):
        self._keep(key, value)
        cache_set(key, value, settings.PAGE_CACHE_SECONDS)

    def _keep(self, key, value):
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


# A few KB each: one per filter of the API and one per day of home's states.
kept = Kept(size=256)


def clear():
    """Empties the cache and this process's kept figures (tests, the benchmark's "empty
    cache" figures)."""
    kept.clear()
    cache.clear()


def per_municipality(key, stamps, make):
    """{kommun slug: value} for the kommuner in `stamps` ({slug: what its value is made
    from, its version first}), kept in one cache entry `key` beside each kommun's stamp.
    A kommun whose stamp moved is made again by `make(slugs)` ({slug: value}); the others
    come from the entry. One cache round trip: one entry, not one per kommun, so that it
    stays as recently used as the page that reads it (and in `kept`)."""
    known = kept.get(key) or {}
    values = {
        slug: known[slug][1]
        for slug, stamp in stamps.items()
        if slug in known and known[slug][0] == stamp
    }
    missing = [slug for slug in stamps if slug not in values]
    if missing:
        values.update(make(missing))
        kept.set(key, {slug: (stamps[slug], values[slug]) for slug in stamps})
    return values


def municipality_states(pledges_by_kommun, today):
    """{kommun slug: {state: count}} for {kommun slug: [current pledge id, ...]}, each
    kommun's counts kept under its own version (`per_municipality`): after a write only that
    kommun's are counted again (a sum over its activities), not the nation's. One query for
    the versions (every kommun's: a quarter of the time of naming 290 in the query), one
    cache round trip, one query for the kommuner counted again."""
    reference, found = kommun_versions()
    # Bulk loads move the reference version only. The löften are in the stamp: a scheduled
    # publication makes another one public without a write, and only that kommun is counted
    # again (the time step is not in the key: it would recount the nation every five
    # minutes, in every process).
    stamps = {
        slug: (found.get(slug, 0), tuple(sorted(pks))) for slug, pks in pledges_by_kommun.items()
    }
    return per_municipality(
        f"municipality-states:{reference}:{today}",
        stamps,
        lambda slugs: Pledge.objects.states_by_municipality(
            {slug: pledges_by_kommun[slug] for slug in slugs}, today
        ),
    )


def states_on(today):
    """`states_of` for `Pledge.objects.national_summary` and the police area page: each
    kommun's states on `today`, kept under its version (`municipality_states`)."""
    return lambda pledges_by_kommun: municipality_states(pledges_by_kommun, today)


# How far back a kommun's publications are looked at again when counts kept in the cache
# are read (seconds): the rows were selected a moment before the counts were made, so a
# löfte that came due in between is counted again rather than missed.
PUBLICATION_MARGIN = 60


def count_by_municipality(queryset, path, name, *, count_all=None):
    """The number of rows of `queryset` (public rows: none outside a public löfte), summed
    over kommuner (`path` leads from a row to its kommun's slug), each kommun's count kept
    in the cache under its version (`name` says what `queryset` selects). After a write only
    that kommun's rows are counted again, not a million; so are those of a kommun where a
    löfte scheduled for publication has come due since the counts were made.

    One query for the versions (a few hundred small rows), one cache round trip, one for
    the publications that came due, and one grouped count of the kommuner counted again
    (none when no kommun changed). When nothing is kept, every kommun is counted: by
    `count_all()` ({slug: count}) when given, else by grouping `queryset`.
    """
    now = timezone.now()
    reference, versions_now = kommun_versions()
    # Hashed: `name` may hold anything a cache key may not (spaces, a long filter).
    key = f"count:{hashlib.sha256(name.encode()).hexdigest()[:32]}:{reference}"

    def counted(rows):
        return dict(rows.order_by().values_list(path).annotate(n=Count("pk")))

    known = kept.get(key)
    if known is None:
        counts = count_all() if count_all else counted(queryset)
    else:
        counts = known["counts"]
        since = known["at"] - datetime.timedelta(seconds=PUBLICATION_MARGIN)
        due = Pledge.objects.public(now).filter(published_at__gt=since)
        # A kommun with no version row: 0 (`kommun_versions`).
        again = {
            slug
            for slug in versions_now.keys() | known["versions"].keys()
            if versions_now.get(slug, 0) != known["versions"].get(slug, 0)
        }
        again.update(due.values_list("municipality__slug", flat=True))
        if not again:
            return sum(counts.values())
        counts = {slug: n for slug, n in counts.items() if slug not in again}
        counts.update(counted(queryset.filter(**{f"{path}__in": again})))
    kept.set(key, {"at": now, "versions": versions_now, "counts": counts})
    return sum(counts.values())


def map_places(today):
    """`maps.places()` of every kommun, cached under the reference version and every kommun's
    text version (a logged activity, the most common write, leaves the map as it was), the
    date and the time step (a löfte scheduled for publication): one small query when
    cached, two when not."""
    reference, found = kommun_versions(municipality_text_scope)
    digest = hashlib.sha256(repr((reference, sorted(found.items()))).encode()).hexdigest()[:32]
    key = f"map-places:{digest}:{today}:{time_step()}"
    places = cache_get(key)
    if places is None:
        places = maps.places(today=today)
        cache_set(key, places, settings.PAGE_CACHE_SECONDS)
    return places


def home_summary(content_versions=None):
    """The home page's figures: the kommuner with a current löfte and the state of their
    commitments (a progress.Summary), the number of kommuner and each kommun's place on the
    map (`map_places`). On a miss: the current löften, the states (`municipality_states`:
    two queries, one when no kommun's counts moved), the number of kommuner and the map
    (one query, two when a löfte's text, dates or publication moved); none on a hit (plus
    one to read the versions when the caller has not).

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
            "summary": Pledge.objects.national_summary(today, states_of=states_on(today)),
            "municipality_total": Municipality.objects.count(),
            "map_places": map_places(today),
        }
        cache_set(key, figures, settings.PAGE_CACHE_SECONDS)
    return figures
