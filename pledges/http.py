"""HTTP helpers every public output shares: CSV downloads and cached public pages.

**CSV downloads.** The one streaming helper every CSV goes through (the open-data CSVs
and the staff report exports), and the cell formatting they share. It lives in the base
app so that every app above it can stream a CSV the same way.

**Public pages served from what was already rendered, until someone writes.**
`public_page(scopes)` wraps a public GET view. Its answer depends only on the path, the
query, the language, the date and the content versions of the page's scopes
(pledges/freshness.py), so for visitors without a session or a pending message:

- the `ETag` is a digest of exactly those (Django's `condition` answers a matching
  `If-None-Match` with 304 Not Modified: one small query, the versions);
- the rendered response is kept in Django's cache (per process, or shared when CACHE_URL
  is set) under that digest and the full path: a hit costs the same one query and no
  rendering. A stale entry is never served, because a write moves the version, and with
  it the key, in its own transaction; old entries simply age out of the cache;
- the copy is kept gzip-compressed and sent as it is to a client that accepts gzip (every
  browser), with an ETag of its own; others get it decompressed;
- `Cache-Control` lets browsers keep a copy but revalidate every time, and shared caches
  (a reverse proxy or CDN) serve it for at most PROXY_MAX_AGE seconds before revalidating.

Visitors with a session (staff) or a pending message get the full page, uncached. The
digest also changes every TIME_STEP (five minutes: a löfte scheduled for publication
appears, a walk that has begun moves to "held", progress "by today" moves at midnight) and
with the RELEASE environment variable (set it to the deployed commit).
"""

import codecs
import contextlib
import csv
import datetime
import hashlib
import os
import re
import threading
import zlib
from decimal import Decimal
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import condition

from pledges.cache import TIME_STEP, cache_get, cache_set, time_step
from pledges.freshness import (
    NATION,
    REFERENCE,
    municipality_scope,
    municipality_text_scope,
    police_area_scope,
    version_rows,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def safe_text(value):
    """A string that a spreadsheet will never read as a formula (OWASP CSV injection)."""
    value = str(value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_cell(value):
    """One value as CSV text, Swedish style: decimal comma, ISO dates, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (Decimal, float)):
        return str(value).replace(".", ",")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return safe_text(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """Yields encoded CSV lines (UTF-8 with BOM, semicolons) for an iterable of rows.

    The rows are read inside a transaction on purpose: rows that come from
    `queryset.iterator(chunk_size=CHUNK_SIZE)` then use a PostgreSQL server-side cursor
    declared WITHOUT HOLD, so the first line goes out at once and memory stays flat.
    Outside a transaction Django declares the cursor WITH HOLD, and PostgreSQL computes the
    whole result before the first row (11.6 s instead of 0.3 s for a million activities in
    the benchmark). `savepoint=False`: a read needs no savepoint inside a caller's
    transaction. Order the queryset by an indexed key so that no sort precedes the rows.
    """
    writer = csv.writer(_Echo(), delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    with transaction.atomic(savepoint=False):
        yield codecs.BOM_UTF8
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row]).encode("utf-8")


def csv_response(rows, filename):
    """A streaming CSV download of `rows` (an iterable of lists, usually a generator over
    `.iterator(chunk_size=CHUNK_SIZE)` that starts with a header row)."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


# Shared caches in front of the site may serve a page this many seconds after a write.
PROXY_MAX_AGE = 5
_CONDITIONAL_REQUEST_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# An Accept-Encoding parameter that refuses the coding ("gzip;q=0").
_REFUSED = re.compile(r"\s*q\s*=\s*0(\.0{0,3})?\s*", re.IGNORECASE)
_VALIDATOR_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Expires", "Vary")
MUNICIPALITY = municipality_scope("")
TEXT = municipality_text_scope("")


def is_personal(request):
    """Whether the page may hold something for this visitor only: a message after a form
    (the "thank you" after a synpunkt) or a logged-in user's view. Those always get the
    full page; the cache is for the anonymous readers who make most of the traffic."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or CookieStorage.cookie_name in request.COOKIES
    )


def _fingerprint(content_versions, now):
    """A digest of what a page or fragment is made from besides its path: the language,
    the date, the time step, the release and `content_versions`."""
    parts = [
        get_language(),
        timezone.localdate(now).isoformat(),
        str(time_step(now)),
        os.environ.get("RELEASE", ""),
        *(f"{scope}={version}" for scope, version in sorted(content_versions.items())),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def page_versions(request, scopes):
    """The versions a page depends on (its scopes and the reference data's): one query.
    Remembered on the request, with the page's fingerprint (the ETag) and the time of the
    latest of those writes, or the start of the time step if later (the Last-Modified)."""
    if hasattr(request, "content_versions"):
        return  # read already, by PublicPageCacheMiddleware
    rows = version_rows([REFERENCE, *scopes])
    request.content_versions = {scope: version for scope, (version, _) in rows.items()}
    now = timezone.now()
    request.page_now = now
    request.page_fingerprint = _fingerprint(request.content_versions, now)
    step_start = datetime.datetime.fromtimestamp(time_step(now) * TIME_STEP, tz=datetime.UTC)
    request.page_last_modified = max(
        [step_start, *(changed for _, changed in rows.values() if changed)]
    )


def fragment_key(request, name, vary, *, texts_only=False, versionless=False):
    """The cache key of a part of a page (pledges.templatetags.fragments), or None where the
    page was not read through `public_page` (a staff preview: never cached).

    `texts_only`: the part shows nothing of the activity log, so a kommun's version is
    left out where its text version is there (`municipality_text_scope`): logging an
    activity leaves the part's key, and its cached copy, as they were. `versionless`: the
    values in `vary` name everything the part shows (the map's states), no version is
    needed."""
    content_versions = getattr(request, "content_versions", None)
    if content_versions is None:
        return None
    if versionless:
        content_versions = {}
    elif texts_only:
        texts = {scope.partition(":")[2] for scope in content_versions if scope.startswith(TEXT)}
        content_versions = {
            scope: version
            for scope, version in content_versions.items()
            if not (scope.startswith(MUNICIPALITY) and scope.partition(":")[2] in texts)
        }
    digest = _fingerprint(content_versions, request.page_now)
    # Hashed: a name or value may hold what a cache key may not (spaces, a long filter).
    extra = hashlib.sha256("|".join(map(str, [name, *vary])).encode()).hexdigest()[:32]
    return f"fragment:{digest}:{extra}"


def page_value(request, name, compute, *, texts_only=False):
    """A value a page computes from its content (an API list's exact total, a kommun's
    löften), cached under the page's versions (see `fragment_key` for `texts_only`) and
    `name` like a part of the page; `compute()` every time outside `public_page`."""
    key = fragment_key(request, f"value:{name}", [], texts_only=texts_only)
    if key is None:
        return compute()
    value = cache_get(key)
    if value is None:
        value = compute()
        cache_set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def nation(*args, **kwargs):
    """Scopes of a national page (home, national feed, open data, API)."""
    return [NATION]


def municipality(slug, *args, **kwargs):
    """Scopes of a page under /kommun/<slug>/."""
    return [municipality_scope(slug), municipality_text_scope(slug)]


def police_area(slug, *args, **kwargs):
    return [police_area_scope(slug)]


def accepts_gzip(request):
    """Whether the client takes a gzip-encoded body (every browser says so): a cached
    page is then sent as it is kept, a fifth of its size and never decompressed."""
    qualities = {}
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.partition(";")
        qualities[name.strip().lower()] = params
    params = qualities.get("gzip", qualities.get("x-gzip", qualities.get("*")))
    return params is not None and not _REFUSED.fullmatch(params)


def _gzip(content):
    # Level 1: a page is compressed once for each write that moves its version, on the
    # request that makes it; level 6 is barely smaller for several times the time.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: the gzip format
    return compressor.compress(content) + compressor.flush()


def _freeze(response):
    # Compressed: a page is a fifth of its size in the cache (a per-process cache of 2,000
    # pages held 150 MB in each worker), and is sent so to a client that accepts gzip.
    headers = [(k, v) for k, v in response.items() if k not in _VALIDATOR_HEADERS]
    return (response.status_code, headers, _gzip(response.content))


def _thaw(frozen, *, gzipped=False):
    """The response kept in `frozen`: its body gzip-encoded as kept when `gzipped`, else
    decompressed."""
    status, headers, content = frozen
    if not gzipped:
        content = zlib.decompress(content, 31)
    response = HttpResponse(content, status=status)
    for key, value in headers:
        response[key] = value
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return response


def _storable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


# How long a thread waits for another that is making the same page (seconds).
MAKE_WAIT = 5
_making = {}
_making_lock = threading.Lock()


@contextlib.contextmanager
def one_at_a_time(key):
    """Yields True to the one thread of this process that makes `key` now, and False to
    another asking for it meanwhile, once the first is done (or after MAKE_WAIT seconds).
    After a write every thread that reads the page misses at the same moment; without this,
    each would make the same page instead of serving the next visitor."""
    with _making_lock:
        done = _making.get(key)
        if done is None:
            done = _making[key] = threading.Event()
            first = True
        else:
            first = False
    if not first:
        done.wait(MAKE_WAIT)
        yield False
        return
    try:
        yield True
    finally:
        with _making_lock:
            del _making[key]
        done.set()


class NotCached(Exception):
    """The page is not in the cache: it is made by the view, through the whole stack."""


def public_page(scopes, *, store=True):
    """Decorator for a public GET view whose content depends on `scopes(*args, **kwargs)`
    (see `nation`, `municipality`, `police_area`). `store=False` keeps the validators but
    not the body (streamed downloads).

    The decorated view carries `from_cache(request, *args, **kwargs)`: the page's 304 or
    cached copy with the headers it would have had, or NotCached.
    `PublicPageCacheMiddleware` calls it before the middleware that only a made page needs
    (CSRF, authentication, messages, two-factor, history, axes), so that a hit costs
    little more than reading the versions."""

    def decorator(view):
        def last_modified(request, *args, **kwargs):
            # `condition` asks for this first, then for the ETag.
            page_versions(request, scopes(*args, **kwargs))
            return request.page_last_modified

        def etag(request, *args, **kwargs):
            # Each encoding of a page is its own representation with its own validator.
            if store and accepts_gzip(request):
                return f"{request.page_fingerprint}-gzip"
            return request.page_fingerprint

        def page_key(request):
            # Hashed: a query string can be longer than a cache key may be.
            path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
            return f"page:{request.page_fingerprint}:{path}"

        def cached(request, *args, **kwargs):
            frozen = cache_get(page_key(request)) if store else None
            if frozen is None:
                raise NotCached
            return _thaw(frozen, gzipped=accepts_gzip(request))

        @condition(etag_func=etag, last_modified_func=last_modified)
        def cached_view(request, *args, **kwargs):
            try:
                return cached(request)
            except NotCached:
                pass
            with one_at_a_time(page_key(request)) as first:
                if not first:
                    # Another thread of this process made it meanwhile.
                    try:
                        return cached(request)
                    except NotCached:
                        pass  # not kept (an error page): made here too
                # Ours are the validators: a view with its own must not answer 304 on its own.
                for header in _CONDITIONAL_REQUEST_HEADERS:
                    request.META.pop(header, None)
                response = view(request, *args, **kwargs)
                # The view's own validators would not match ours.
                for header in ("ETag", "Last-Modified"):
                    if header in response:
                        del response[header]
                if store and _storable(response):
                    frozen = _freeze(response)
                    cache_set(page_key(request), frozen, settings.PAGE_CACHE_SECONDS)
                    if accepts_gzip(request):
                        # As the next visitor will get it from the cache.
                        return _thaw(frozen, gzipped=True)
                elif store:
                    # Sent as made, not encoded: the validator of that representation.
                    response["ETag"] = quote_etag(request.page_fingerprint)
            return response

        conditional_cached = condition(etag_func=etag, last_modified_func=last_modified)(cached)

        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD") or is_personal(request):
                if request.method in ("GET", "HEAD"):
                    # No whole page for them, but the parts of it that are the same for
                    # everyone come from the cache (pledges.templatetags.fragments).
                    page_versions(request, scopes(*args, **kwargs))
                response = view(request, *args, **kwargs)
                # A message or a staff member's copy is for this browser only.
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            return _public_headers(cached_view(request, *args, **kwargs), encoded=store)

        def from_cache(request, *args, **kwargs):
            return _public_headers(conditional_cached(request, *args, **kwargs), encoded=store)

        inner.from_cache = from_cache
        return inner

    return decorator


def _public_headers(response, *, encoded):
    if response.status_code in (200, 304):
        response["Cache-Control"] = f"public, max-age=0, s-maxage={PROXY_MAX_AGE}, must-revalidate"
    # The language and the session come from cookies; a kept page is gzip-encoded for a
    # client that accepts it (`encoded`).
    patch_vary_headers(response, ("Cookie", "Accept-Encoding") if encoded else ("Cookie",))
    return response


class PublicPageCacheMiddleware:
    """Answers an anonymous GET of a `public_page` from the cache (or with 304) before the
    middleware below it in MIDDLEWARE run: they exist for a page that is made (CSRF,
    authentication, messages, two-factor, history, axes), and a hit is most of the traffic.
    Placed after the header, locale and common middleware, whose work the answer needs.
    Anything else, and a page not in the cache, goes on through the stack as usual; the
    versions read here are not read again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and not is_personal(request):
            try:
                match = resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                match = None
            from_cache = getattr(match and match.func, "from_cache", None)
            if from_cache is not None:
                try:
                    return from_cache(request, *match.args, **match.kwargs)
                except NotCached:
                    pass
        return self.get_response(request)
