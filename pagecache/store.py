"""What the page cache keeps besides whole pages: the time step that bounds how long
anything kept may ignore the clock, and per-kommun figures kept in process memory as well
as in the cache (`Kept`, `per_municipality`)."""

import collections
import threading
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

# Some changes come with time, not with a write: a löfte scheduled for publication, a walk
# that has begun, progress "by today". Cached pages and figures are made afresh at least
# this often (seconds).
TIME_STEP = 5 * 60


def time_step(now=None) -> int:
    """The number of the current TIME_STEP period."""
    return int((now or timezone.now()).timestamp()) // TIME_STEP


class Kept:
    """Per-kommun figures that check themselves against the versions on every read (the
    API's totals, home's states): kept in this process's memory as well as in the cache,
    because the cache's least recently used entries make way for pages and these are
    costly to make again (a count over a million activities). The newest `size` are kept;
    the values are never changed in place, so threads can share them."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: collections.OrderedDict[str, Any] = collections.OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            value = self.entries.get(key)
            if value is not None:
                self.entries.move_to_end(key)
                return value
        value = cache.get(key)  # made by another process, with a shared cache
        if value is not None:
            self._keep(key, value)
        return value

    def set(self, key: str, value: Any) -> None:
        self._keep(key, value)
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)

    def _keep(self, key: str, value: Any) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


# A few KB each: one per filter of the API and one per day of home's states.
kept = Kept(size=256)


def clear() -> None:
    """Empties the cache and this process's kept figures (tests, the benchmark's "empty
    cache" figures)."""
    kept.clear()
    cache.clear()


def per_municipality(
    key: str,
    stamps: dict[str, Hashable],
    make: Callable[[Iterable[str]], dict[str, Any]],
) -> dict[str, Any]:
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


def cached(key: str, make: Callable[[], Any]) -> Any:
    """The value kept under `key`, made by `make()` and kept when missing."""
    value = cache.get(key)
    if value is None:
        value = make()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value
