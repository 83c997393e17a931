"""Public pages served from what was already rendered, until someone writes.

`@public_page(scopes)` stands on a public GET view (`scopes(*args, **kwargs)` names the
content versions the page depends on: `nation_scopes`, `municipality_scopes`,
`police_area_scopes`). The answer depends only on the path, the query, the language, the
date, the time step, the release and those versions (pagecache/versions.py), so for visitors
without a session or a pending message:

- the `ETag` is a digest of exactly those, and a matching `If-None-Match` gets a 304
  (Django's `get_conditional_response`): one small query, the versions;
- the rendered response is kept in Django's cache (per process, or shared when CACHE_URL is
  set) under that digest and the full path: a hit costs the same one query and no
  rendering. A stale entry is never served: a write moves the version, and with it the key,
  in its own transaction; old entries age out;
- the copy is kept gzip-compressed and sent as it is to a client that accepts gzip (every
  browser), with an ETag of its own; the first client without gzip has it decompressed
  once and kept beside it, so every later one is served as cheaply (`_copy`);
- a national page (`nation_scopes`: home, the national feed, the API, open data, the
  catalogue) follows the nation's version, which every write anywhere moves, at most
  NATION_LAG seconds behind: a copy made less than that ago is served after a write, one
  thread (one per cluster with a shared cache: `cache.add`) makes the new version while
  the others serve the copy they have, and each process makes it at most every
  NATION_LAG / 2 seconds however often staff write (`PublicPage.previous`). A kommun's
  own pages never lag: the next request after a write shows it;
- `Cache-Control` lets browsers keep a copy but revalidate every time, and shared caches
  (a reverse proxy or CDN) serve it for at most PROXY_MAX_AGE seconds.

`PublicPageCacheMiddleware` answers a hit before the middleware that only a page being made
needs; on a miss it leaves what it read on the request (`PageLookup`: versions, validators,
Accept-Encoding, key), and the decorator makes the page and keeps it without reading the
versions or the cache again. Visitors with a session (staff) or a pending message get the
full page, uncached; the parts of it that are the same for everyone come from the cache
(pagecache/templatetags/fragments.py).
"""

import contextlib
import datetime
import hashlib
import os
import re
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from pagecache.store import TIME_STEP, time_step
from pagecache.versions import (
    NATION,
    REFERENCE,
    municipality_scope,
    municipality_text_scope,
    police_area_scope,
    version_rows,
)

Scopes = Callable[..., list[str]]

# Shared caches in front of the site may serve a page this many seconds after a write.
PROXY_MAX_AGE = 5
# A national page may be served this many seconds after a write (`PublicPage.previous`);
# the setting PAGE_CACHE_NATION_LAG (at most PROXY_MAX_AGE) overrides it, 0 turns it off.
NATION_LAG = PROXY_MAX_AGE
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


def nation_scopes(*args: Any, **kwargs: Any) -> list[str]:
    """Scopes of a national page (home, national feed, open data, API)."""
    return [NATION]


def municipality_scopes(slug: str, *args: Any, **kwargs: Any) -> list[str]:
    """Scopes of a page under /kommun/<slug>/."""
    return [municipality_scope(slug), municipality_text_scope(slug)]


def police_area_scopes(slug: str, *args: Any, **kwargs: Any) -> list[str]:
    return [police_area_scope(slug)]


def is_personal(request: HttpRequest) -> bool:
    """Whether the page may hold something for this visitor only: a message after a form
    (the "thank you" after a synpunkt) or a logged-in user's view. Those always get the
    full page; the cache is for the anonymous readers who make most of the traffic."""
    return CookieStorage.cookie_name in request.COOKIES or has_session(request)


# The keys Django makes for sessions (django.contrib.sessions: 32 of these characters).
_SESSION_KEY = re.compile(r"[0-9a-z]{32}")


def has_session(request: HttpRequest) -> bool:
    """Whether the session cookie names a session that exists. An invalid cookie counts as
    none, or anyone could skip the page cache with a made-up value: one that cannot be a
    key costs nothing, a well-formed one the session's lookup (which a signed-in user's
    page makes anyway)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if key is None or not _SESSION_KEY.fullmatch(key):
        return False
    session = getattr(request, "session", None)
    return session is None or bool(session.keys())


def accepts_gzip(request: HttpRequest) -> bool:
    """Whether the client takes a gzip-encoded body (every browser says so): a cached
    page is then sent as it is kept, a fifth of its size and never decompressed."""
    qualities: dict[str, str] = {}
    for coding in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = coding.partition(";")
        qualities[name.strip().lower()] = params
    found = qualities.get("gzip", qualities.get("x-gzip", qualities.get("*")))
    return found is not None and not _REFUSED.fullmatch(found)


def _fingerprint(content_versions: dict[str, int], now: datetime.datetime) -> str:
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


def nation_lag() -> float:
    """How many seconds a national page may follow the nation's version (NATION_LAG)."""
    return min(getattr(settings, "PAGE_CACHE_NATION_LAG", NATION_LAG), PROXY_MAX_AGE)


def page_versions(request: HttpRequest, scopes: list[str]) -> None:
    """The versions a page depends on (its scopes and the reference data's): one query.
    Remembered on the request, with the page's fingerprint (the ETag) and the time of the
    latest of those writes, or the start of the time step if later (the Last-Modified)."""
    if hasattr(request, "content_versions"):
        return  # read already
    rows = version_rows([REFERENCE, *scopes])
    content_versions = {scope: version for scope, (version, _) in rows.items()}
    now = timezone.now()
    step_start = datetime.datetime.fromtimestamp(time_step(now) * TIME_STEP, tz=datetime.UTC)
    request.content_versions = content_versions  # type: ignore[attr-defined]
    request.page_now = now  # type: ignore[attr-defined]
    request.page_fingerprint = _fingerprint(content_versions, now)  # type: ignore[attr-defined]
    request.page_last_modified = max(  # type: ignore[attr-defined]
        [step_start, *(changed for _, changed in rows.values() if changed)]
    )


def fragment_key(
    request: HttpRequest,
    name: str,
    vary: list[Any],
    *,
    texts_only: bool = False,
    versionless: bool = False,
) -> str | None:
    """The cache key of a part of a page (pagecache/templatetags/fragments.py), or None
    where the page was not read through `public_page` (a staff preview: never cached).

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
    digest = _fingerprint(content_versions, request.page_now)  # type: ignore[attr-defined]
    # Hashed: a name or value may hold what a cache key may not (spaces, a long filter).
    extra = hashlib.sha256("|".join(map(str, [name, *vary])).encode()).hexdigest()[:32]
    return f"fragment:{digest}:{extra}"


def page_value(
    request: HttpRequest, name: str, compute: Callable[[], Any], *, texts_only: bool = False
) -> Any:
    """A value a page computes from its content (an API list's exact total, a kommun's
    löften), cached under the page's versions (see `fragment_key` for `texts_only`) and
    `name` like a part of the page; `compute()` every time outside `public_page`."""
    key = fragment_key(request, f"value:{name}", [], texts_only=texts_only)
    if key is None:
        return compute()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PAGE_CACHE_SECONDS)
    return value


def _gzip(content: bytes) -> bytes:
    # Level 1: a page is compressed once for each write that moves its version, on the
    # request that makes it; level 6 is barely smaller for several times the time.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)  # 31: the gzip format
    return compressor.compress(content) + compressor.flush()


Frozen = tuple[int, list[tuple[str, str]], bytes]


def _freeze(response: HttpResponse) -> Frozen:
    # Compressed: a page is a fifth of its size in the cache (a per-process cache of 2,000
    # pages held 150 MB in each worker), and is sent so to a client that accepts gzip.
    headers = [(k, v) for k, v in response.items() if k not in _VALIDATOR_HEADERS]
    return (response.status_code, headers, _gzip(response.content))


def _thaw(frozen: Frozen, *, gzipped: bool = False, compressed: bool = True) -> HttpResponse:
    """The response kept in `frozen`: its body gzip-encoded as kept when `gzipped`, else
    decompressed (`compressed=False`: kept decompressed already)."""
    status, headers, content = frozen
    if not gzipped and compressed:
        content = zlib.decompress(content, 31)
    response = HttpResponse(content, status=status)
    for key, value in headers:
        response[key] = value
    if gzipped:
        response["Content-Encoding"] = "gzip"
    return response


def _identity_key(key: str) -> str:
    return f"{key}:identity"


def _copy(key: str, *, gzipped: bool) -> HttpResponse | None:
    """The page kept under `key` in the representation asked for, or None. The gzip copy is
    the one every page has; the first request without gzip decompresses it once and keeps
    the result beside it (`_identity_key`), so no later one decompresses anything."""
    if gzipped:
        frozen = cache.get(key)
        return None if frozen is None else _thaw(frozen, gzipped=True)
    plain = cache.get(_identity_key(key))
    if plain is None:
        frozen = cache.get(key)
        if frozen is None:
            return None
        status, headers, content = frozen
        plain = (status, headers, zlib.decompress(content, 31))
        cache.set(_identity_key(key), plain, settings.PAGE_CACHE_SECONDS)
    return _thaw(plain, gzipped=False, compressed=False)


def _storable(response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


# How long a thread waits for another that is making the same page (seconds).
MAKE_WAIT = 5
_making: dict[str, threading.Event] = {}
_making_lock = threading.Lock()


@contextlib.contextmanager
def one_at_a_time(key: str) -> Iterator[bool]:
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


def _claim(key: str) -> bool:
    """Whether this thread is the one to make `key` now: `cache.add` succeeds once, in this
    process with the per-process cache and in every process and host with a shared one.
    Released by `_release` when made, or after MAKE_CLAIM seconds (a worker that died)."""
    return cache.add(f"making:{key}", True, MAKE_CLAIM)


def _release(key: str) -> None:
    cache.delete(f"making:{key}")


# How long a claim to make a page lasts if its maker never releases it (seconds): a request
# is ended by gunicorn's timeout before then.
MAKE_CLAIM = 30


@dataclass(frozen=True)
class PageLookup:
    """What one anonymous GET of a public page read: its validators, whether the client
    takes gzip (Accept-Encoding parsed once), the key its copy is kept under and, for a
    national page, the key of the pointer to its latest copy (`PublicPage.previous`)."""

    etag: str
    last_modified: int
    gzip: bool
    key: str
    latest: str | None = None

    def validate(self, response: HttpResponseBase) -> HttpResponseBase:
        """Our validators on `response`, as Django's `condition` sets them."""
        response.headers.setdefault("ETag", self.etag)
        if not response.has_header("Last-Modified"):
            response.headers["Last-Modified"] = http_date(self.last_modified)
        return response


class PublicPage:
    """The cache policy of one view: its scopes, whether its body is kept and whether it
    may follow the nation's version NATION_LAG seconds behind (a national page)."""

    def __init__(self, scopes: Scopes, *, store: bool) -> None:
        self.scopes = scopes
        self.store = store
        self.national = scopes is nation_scopes

    def lookup(self, request: HttpRequest, args: tuple, kwargs: dict) -> HttpResponseBase | None:
        """The page's 304, or its cached copy, or None (a miss: `PageLookup` is left on
        the request for `make`). Reads the versions (one query) and the cache (once; a
        national page whose version moved, twice: `previous`)."""
        page_versions(request, self.scopes(*args, **kwargs))
        gzip = self.store and accepts_gzip(request)
        fingerprint = request.page_fingerprint  # type: ignore[attr-defined]
        # Each encoding of a page is its own representation with its own validator.
        etag = quote_etag(f"{fingerprint}-gzip" if gzip else fingerprint)
        # Hashed: a query string can be longer than a cache key may be.
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        latest = None
        if self.store and self.national:
            # Everything the page is made from but the nation's version.
            others = {
                scope: version
                for scope, version in request.content_versions.items()  # type: ignore[attr-defined]
                if scope != NATION
            }
            latest = f"latest:{_fingerprint(others, request.page_now)}:{path}"  # type: ignore[attr-defined]
        found = PageLookup(
            etag=etag,
            last_modified=int(request.page_last_modified.timestamp()),  # type: ignore[attr-defined]
            gzip=gzip,
            key=f"page:{fingerprint}:{path}",
            latest=latest,
        )
        request.page_lookup = found  # type: ignore[attr-defined]
        response: HttpResponseBase | None = get_conditional_response(
            request, etag=found.etag, last_modified=found.last_modified
        )
        if response is None and self.store:
            response = _copy(found.key, gzipped=gzip)
            if response is None and latest is not None:
                response = self.previous(request, found)
        return None if response is None else found.validate(response)

    def previous(self, request: HttpRequest, found: PageLookup) -> HttpResponseBase | None:
        """A national page's latest copy (or its 304), made from an earlier version of the
        nation less than `nation_lag()` seconds ago, or None: the page is made now.

        Every write anywhere moves the nation's version; remaking every national page in
        every process after each would cost a render per worker per write. So a copy made
        less than NATION_LAG / 2 seconds ago is served as it is; after that one thread
        claims the new version (`_claim`: one per cluster with a shared cache) and makes it
        while the others go on serving the copy, which is never older than NATION_LAG (the
        `s-maxage` shared caches may keep a page anyway). The time is that of the version
        read before the copy was made: the copy shows every write before it."""
        lag = nation_lag()
        pointer = cache.get(found.latest) if lag > 0 else None
        if pointer is None:
            return None
        key, fingerprint, made_at, last_modified = pointer
        age = request.page_now.timestamp() - made_at  # type: ignore[attr-defined]
        if key == found.key or not 0 <= age < lag:
            return None
        if age >= lag / 2 and _claim(found.key):
            request.page_claimed = True  # type: ignore[attr-defined]
            return None  # this thread makes the new version; the others serve the copy
        kept = PageLookup(
            etag=quote_etag(f"{fingerprint}-gzip" if found.gzip else fingerprint),
            last_modified=last_modified,
            gzip=found.gzip,
            key=key,
        )
        response = get_conditional_response(
            request, etag=kept.etag, last_modified=kept.last_modified
        )
        if response is None:
            response = _copy(key, gzipped=found.gzip)
        if response is None:
            return None
        # A shared cache in front may keep it only for what is left of the lag, so that a
        # reader there, too, sees every write within NATION_LAG seconds (`headers`).
        response.proxy_max_age = int(lag - age)  # type: ignore[attr-defined]
        return kept.validate(response)

    def make(self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict) -> Any:
        """The page made by `view` (after a miss in `lookup`) and kept."""
        found: PageLookup = request.page_lookup  # type: ignore[attr-defined]
        try:
            with one_at_a_time(found.key) as first:
                if not first and self.store:
                    # Another thread of this process made it meanwhile.
                    response = _copy(found.key, gzipped=found.gzip)
                    if response is not None:
                        return found.validate(response)
                made = self._made(request, found, view, args, kwargs)
                made.page_made = True  # type: ignore[attr-defined]  # bench/middleware.py
                return found.validate(made)
        finally:
            if getattr(request, "page_claimed", False):
                _release(found.key)

    def _made(
        self, request: HttpRequest, found: PageLookup, view: Callable, args: tuple, kwargs: dict
    ) -> HttpResponseBase:
        # Ours are the validators: a view with its own must not answer 304 on its own.
        for header in _CONDITIONAL_REQUEST_HEADERS:
            request.META.pop(header, None)
        response = view(request, *args, **kwargs)
        # The view's own validators would not match ours.
        for header in ("ETag", "Last-Modified"):
            if header in response:
                del response[header]
        if self.store and _storable(response):
            frozen = _freeze(response)
            cache.set(found.key, frozen, settings.PAGE_CACHE_SECONDS)
            if found.gzip:
                # As the next visitor will get it from the cache.
                response = _thaw(frozen, gzipped=True)
            else:
                # This client's representation, kept too (`_copy`).
                plain = (frozen[0], frozen[1], response.content)
                cache.set(_identity_key(found.key), plain, settings.PAGE_CACHE_SECONDS)
            if found.latest is not None:
                self._point(request, found)
        elif self.store:
            # Sent as made, not encoded: the validator of that representation.
            response["ETag"] = quote_etag(request.page_fingerprint)  # type: ignore[attr-defined]
        return response

    def _point(self, request: HttpRequest, found: PageLookup) -> None:
        """Names the copy just kept as the national page's latest (`previous`), unless a
        copy made from a later version read is named already."""
        made_at = request.page_now.timestamp()  # type: ignore[attr-defined]
        pointer = cache.get(found.latest)
        if pointer is None or pointer[2] <= made_at:
            cache.set(
                found.latest,
                (found.key, request.page_fingerprint, made_at, found.last_modified),  # type: ignore[attr-defined]
                settings.PAGE_CACHE_SECONDS,
            )

    def headers(self, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code in (200, 304):
            shared = getattr(response, "proxy_max_age", PROXY_MAX_AGE)  # `previous`
            response["Cache-Control"] = f"public, max-age=0, s-maxage={shared}, must-revalidate"
        # The language and the session come from cookies; a kept page is gzip-encoded for a
        # client that accepts it.
        patch_vary_headers(response, ("Cookie", "Accept-Encoding") if self.store else ("Cookie",))
        return response


def public_page(scopes: Scopes, *, store: bool = True) -> Callable[[Callable], Callable]:
    """Decorator for a public GET view whose content depends on `scopes(*args, **kwargs)`.
    `store=False` keeps the validators but not the body (streamed downloads)."""
    page = PublicPage(scopes, store=store)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method not in ("GET", "HEAD") or is_personal(request):
                if request.method in ("GET", "HEAD"):
                    # No whole page for them, but the parts of it that are the same for
                    # everyone come from the cache (pagecache/templatetags/fragments.py).
                    page_versions(request, scopes(*args, **kwargs))
                response = view(request, *args, **kwargs)
                # A message or a staff member's copy is for this browser only.
                patch_cache_control(response, private=True)
                patch_vary_headers(response, ("Cookie",))
                return response
            if not hasattr(request, "page_lookup"):
                # Not looked up by the middleware (a test calling the view, say).
                response = page.lookup(request, args, kwargs)
                if response is not None:
                    return page.headers(response)
            return page.headers(page.make(request, view, args, kwargs))

        inner.public_page = page  # type: ignore[attr-defined]
        return inner

    return decorator


class PublicPageCacheMiddleware:
    """Answers an anonymous GET of a `public_page` from the cache (or with 304) before the
    middleware below it in MIDDLEWARE run: they exist for a page that is made (CSRF,
    authentication, messages, two-factor, history, axes), and a hit is most of the traffic.
    Placed after the header, locale and common middleware, whose work the answer needs.

    A miss goes on through the stack with its `PageLookup` on the request, so the view's
    decorator reads neither the versions nor the cache again. Django resolves the URL of
    a miss a second time (its handler always does); answering in `process_view` instead
    would resolve once but run every middleware above the view on every hit."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and not is_personal(request):
            try:
                match = resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                match = None
            page = getattr(match and match.func, "public_page", None)
            if match is not None and page is not None:
                response = page.lookup(request, match.args, match.kwargs)
                if response is not None:
                    return page.headers(response)
        return self.get_response(request)
