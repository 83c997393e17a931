"""Public pages served from the cache by content version and streaming CSV in a transaction
(pagecache/pages.py), the national figures (pledges/figures.py) and the benchmark's settings
(bench/settings.py)."""

import datetime
import gzip

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import middleware as bench_middleware
from bench import settings as bench_settings
from bench import views as bench_views
from pagecache import pages as http
from pagecache.pages import municipality_scopes as municipality
from pagecache.pages import public_page
from pagecache.store import TIME_STEP
from pagecache.versions import NATION, REFERENCE, versions
from pledges.figures import home_summary
from pledges.models import Activity, Pledge
from tests.factories import ActivityFactory, CommitmentFactory, PledgeFactory


@pytest.fixture
def pledge(db):
    pledge = PledgeFactory(municipality__slug="kungalv", slug="2025")
    commitment = CommitmentFactory(pledge=pledge)
    ActivityFactory(commitment=commitment, date=timezone.localdate())
    return pledge


calls = []


@public_page(municipality)
def dummy_kommun_view(request, slug):
    calls.append(slug)
    return HttpResponse(f"kommun {slug} {len(calls)}")


def get(rf, path="/kommun/kungalv/", **headers):
    return dummy_kommun_view(rf.get(path, headers=headers), slug="kungalv")


def test_first_get_has_validators(rf, pledge):
    calls.clear()
    response = get(rf)
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"')
    assert response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=5, must-revalidate"
    assert "Cookie" in response.headers["Vary"]
    assert calls == ["kungalv"]


def test_second_get_is_served_from_the_cache_with_one_query(rf, pledge, django_assert_num_queries):
    first = get(rf)
    calls.clear()
    with django_assert_num_queries(1):  # the versions
        second = get(rf)
    assert calls == []
    assert second.content == first.content
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_matching_etag_gives_304_without_running_the_view(rf, pledge):
    etag = get(rf).headers["ETag"]
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        response = get(rf, **{"if-none-match": etag})
    assert response.status_code == 304
    assert calls == []
    assert len(queries) == 1  # the versions only


def test_if_modified_since_gives_304(rf, pledge):
    last_modified = get(rf).headers["Last-Modified"]
    assert get(rf, **{"if-modified-since": last_modified}).status_code == 304


def test_a_write_in_the_kommun_changes_the_page_at_once(rf, pledge):
    first = get(rf)
    ActivityFactory(commitment=pledge.commitments.get())
    calls.clear()
    response = get(rf, **{"if-none-match": first.headers["ETag"]})
    assert response.status_code == 200
    assert response.headers["ETag"] != first.headers["ETag"]
    assert calls == ["kungalv"]


def test_an_undone_activity_changes_the_page(rf, pledge):
    """Deletions move the version too (an `updated_at` check could not see them)."""
    first = get(rf)
    pledge.commitments.get().activities.get().delete()
    assert get(rf, **{"if-none-match": first.headers["ETag"]}).status_code == 200


def test_a_write_in_another_kommun_keeps_the_page(rf, pledge):
    elsewhere = CommitmentFactory(pledge=PledgeFactory())
    first = get(rf)
    ActivityFactory(commitment=elsewhere)
    calls.clear()
    assert get(rf, **{"if-none-match": first.headers["ETag"]}).status_code == 304
    assert get(rf).content == first.content
    assert calls == []


def test_another_language_is_another_etag_and_another_copy(rf, pledge):
    from django.utils import translation

    sv = get(rf)
    with translation.override("en"):
        calls.clear()
        en = get(rf)
        assert calls == ["kungalv"]
    assert sv.headers["ETag"] != en.headers["ETag"]


def test_the_query_is_part_of_the_key(rf, pledge):
    get(rf, "/kommun/kungalv/?sida=1")
    calls.clear()
    get(rf, "/kommun/kungalv/?sida=2")
    assert calls == ["kungalv"]


def test_pages_are_rendered_afresh_as_time_passes(rf, pledge, monkeypatch):
    """Changes that come with time and no write (a löfte scheduled for publication, a walk
    that has begun, progress "by today" at midnight) show within five minutes."""
    now = timezone.now()
    monkeypatch.setattr("pagecache.pages.timezone.now", lambda: now)
    first = get(rf)
    calls.clear()
    later = now + datetime.timedelta(seconds=TIME_STEP + 1)
    monkeypatch.setattr("pagecache.pages.timezone.now", lambda: later)
    second = get(rf)
    assert second.headers["ETag"] != first.headers["ETag"]
    assert calls == ["kungalv"]


def test_a_scheduled_publication_shows_without_a_write(client, db, monkeypatch):
    moment = timezone.now() + datetime.timedelta(minutes=30)
    PledgeFactory(municipality__slug="tanum", title="Schemalagt löfte i Tanum", published_at=moment)
    assert "Schemalagt löfte i Tanum" not in client.get("/kommun/tanum/").text
    assert "<strong>0</strong> av" in client.get("/").text
    later = moment + datetime.timedelta(seconds=TIME_STEP)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert "Schemalagt löfte i Tanum" in client.get("/kommun/tanum/").text
    assert "<strong>1</strong> av" in client.get("/").text


def test_post_is_not_conditional(rf, pledge):
    calls.clear()
    response = dummy_kommun_view(rf.post("/", headers={"if-none-match": "*"}), slug="kungalv")
    assert response.status_code == 200
    assert calls == ["kungalv"]


@pytest.mark.parametrize("cookie", ["sessionid", "__Host-sessionid", "messages"])
def test_visitors_with_a_session_or_a_message_get_the_full_page(rf, pledge, settings, cookie):
    if cookie.endswith("sessionid"):
        settings.SESSION_COOKIE_NAME = cookie
    etag = get(rf).headers["ETag"]
    request = rf.get("/kommun/kungalv/", headers={"if-none-match": etag})
    # A session key as Django makes them (a made-up cookie counts as none: test_hardening).
    request.COOKIES[cookie] = "0123456789abcdefghijklmnopqrstuv"
    calls.clear()
    response = dummy_kommun_view(request, slug="kungalv")
    assert response.status_code == 200
    assert calls == ["kungalv"]
    assert "private" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


def test_a_view_with_its_own_validators_and_cookies(rf, pledge):
    """The view's own ETag is replaced, its own 304 never reached, and a response that
    sets a cookie is not kept for others."""

    @public_page(municipality)
    def view(request, slug):
        calls.append(slug)
        response = HttpResponse("x")
        response["ETag"] = '"own"'
        response.set_cookie("visitor", "1")
        return response

    calls.clear()
    first = view(rf.get("/x/"), slug="kungalv")
    assert first.headers["ETag"] != '"own"'
    view(rf.get("/x/", headers={"if-none-match": '"own"'}), slug="kungalv")
    assert calls == ["kungalv", "kungalv"]


def test_a_cache_that_is_down_costs_a_render_not_an_error(rf, pledge, settings):
    """A shared Redis that is away (nothing listens on the port): the page is made, as
    the project's Redis backend answers a miss (pagecache/backends.py)."""
    import socket

    with socket.socket() as probe:  # a port nothing listens on once closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.backends.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    calls.clear()
    assert get(rf).status_code == 200
    assert get(rf).status_code == 200
    assert calls == ["kungalv", "kungalv"]


# --- national figures -----------------------------------------------------------------


def test_home_summary_counts_published_pledges_only(pledge):
    PledgeFactory(status=Pledge.Status.DRAFT)
    figures = home_summary()
    assert figures["summary"].municipalities == 1
    assert figures["summary"].total == 1
    assert figures["municipality_total"] == 2


def test_home_summary_is_cached_by_version(pledge, django_assert_num_queries):
    found = versions([NATION, REFERENCE])
    with django_assert_num_queries(6):
        home_summary(found)
    with django_assert_num_queries(0):
        home_summary(found)
    CommitmentFactory(pledge=pledge)
    assert home_summary()["summary"].total == 2


@pytest.fixture
def counted_kommuner(monkeypatch):
    """Starts recording the kommuner whose states are counted from the database: a list
    that grows by the set of kommuner of each count."""

    def start():
        counted = []
        queryset = type(Pledge.objects.all())
        states_by_municipality = queryset.states_by_municipality

        def spy(self, pledges_by_kommun, today=None):
            counted.append(set(pledges_by_kommun))
            return states_by_municipality(self, pledges_by_kommun, today)

        monkeypatch.setattr(queryset, "states_by_municipality", spy)
        return counted

    return start


def test_after_a_write_only_its_kommuns_states_are_counted_again(
    pledge, counted_kommuner, django_assert_num_queries
):
    other = PledgeFactory(municipality__slug="ale", slug="2025")
    ActivityFactory(commitment=CommitmentFactory(pledge=other, target_quantity=1))
    assert home_summary()["summary"].total == 2
    counted = counted_kommuner()
    ActivityFactory(commitment=CommitmentFactory(pledge=pledge, target_quantity=1))
    summary = home_summary()["summary"]
    assert counted == [{"kungalv"}]
    assert summary.total == 3
    assert summary.states == Pledge.objects.national_summary().states


def test_the_passing_of_time_alone_recounts_no_kommun(pledge, monkeypatch, counted_kommuner):
    """The home figures are made again every time step, but each kommun's states are kept
    under its version and löften (and the date), not the time step: a new step sums the
    kept counts instead of counting every kommun in every process."""
    noon = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(12)))
    monkeypatch.setattr("django.utils.timezone.now", lambda: noon)
    assert home_summary()["summary"].total == 1
    counted = counted_kommuner()
    later = noon + datetime.timedelta(seconds=TIME_STEP)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert home_summary()["summary"].total == 1
    assert counted == []


# --- benchmark helpers ----------------------------------------------------------------


def test_query_count_header(rf, pledge):
    def view(request):
        list(Pledge.objects.all())
        list(Pledge.objects.all())
        return HttpResponse("ok")

    response = bench_middleware.QueryCountMiddleware(view)(rf.get("/"))
    assert response.headers["X-Query-Count"] == "2"


def test_floor_pages_use_no_database(rf, db, settings, django_assert_num_queries):
    settings.TEMPLATES = bench_settings.TEMPLATES
    with django_assert_num_queries(0):
        assert bench_views.floor(rf.get("/bench/floor/")).status_code == 200
        assert bench_views.floor_layout(rf.get("/bench/floor-layout/")).status_code == 200


def test_floor_url_only_exists_in_benchmarks(client, db, settings):
    assert settings.ROOT_URLCONF == "medborgarlofte.urls"
    assert client.get("/bench/floor/").status_code == 404
    assert "X-Query-Count" not in client.get("/om/").headers


def test_benchmark_settings_add_the_floor_and_the_query_count(client, db, settings):
    settings.ROOT_URLCONF = bench_settings.ROOT_URLCONF
    settings.MIDDLEWARE = bench_settings.MIDDLEWARE
    settings.TEMPLATES = bench_settings.TEMPLATES
    for url in ("/bench/floor/", "/bench/floor-layout/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["X-Query-Count"] == "0"
        assert "Golv för prestandamätning" in response.text
    # The project's pages and error handlers are still there.
    assert client.get("/om/").status_code == 200
    missing = client.get("/finns-inte/")
    assert missing.status_code == 404
    assert "X-Query-Count" in missing.headers


def test_home_county_list_is_cached(client, reference_data, django_assert_num_queries):
    # The versions, 2 for the county list, 5 for the figures and the map (its versions and
    # places), 1 for the latest löften (none is current: home lists them); then the versions
    # only.
    with django_assert_num_queries(9):
        first = client.get("/")
    with django_assert_num_queries(1):
        second = client.get("/")

    def listed(response):
        return response.text.split('id="counties-heading"')[1].count('href="/kommun/')

    assert listed(second) == listed(first) == 290


def test_home_county_list_is_cached_per_language(client, reference_data):
    # The Swedish request fills the cached fragment first; the English one must not get it.
    assert "Kommuner per län" in client.get("/").text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert '<html lang="en">' in response.text
    assert "Municipalities by county" in response.text
    assert "Kommuner per län" not in response.text
    assert response.text.split('id="counties-heading"')[1].count('href="/kommun/') == 290


@pytest.mark.django_db(transaction=True)
def test_csv_rows_are_read_inside_a_transaction(pledge):
    """On PostgreSQL a server-side cursor streams only inside a transaction; outside one,
    the whole result is computed before the first row (pledges.csvstream.csv_lines)."""
    from django.db import connection as db

    from pledges.csvstream import csv_lines
    from pledges.models import Activity

    ActivityFactory.create_batch(4, commitment=pledge.commitments.get())
    assert not db.in_atomic_block
    seen = []

    def rows():
        for activity in Activity.objects.order_by("-date", "-id").iterator(chunk_size=2):
            seen.append(db.in_atomic_block)
            yield [activity.pk]

    lines = list(csv_lines(rows()))
    assert len(lines) == 6  # the byte-order mark and five rows
    assert seen == [True] * 5
    assert not db.in_atomic_block


# --- bench ---


def test_feed_order_is_served_by_an_index(db, django_assert_num_queries):
    """The Atom feeds take the latest logged activities across the country; at a million
    activities PostgreSQL sorted them all per request (820 ms) until the index
    `activity_logged_latest` matched this order. Keep the feed's order and the index equal."""
    from pledges.models import Activity
    from reports import selectors

    indexes = {index.name: index.fields for index in Activity._meta.indexes}
    feed = selectors.feed_activities()
    assert list(feed.query.order_by) == indexes["activity_logged_latest"] == ["-created_at", "-id"]
    pledge = PledgeFactory()
    ActivityFactory.create_batch(5, commitment=CommitmentFactory(pledge=pledge))
    with django_assert_num_queries(1):
        assert len(list(selectors.feed_activities())) == 5


def test_feed_follow_ups_are_served_by_an_index(db):
    """The national feed's latest follow-ups: joined and sorted all (16 ms at 5,400) until
    the index `followup_latest` matched this order. Keep the two equal."""
    from pledges.models import FollowUp
    from reports import selectors

    indexes = {index.name: index.fields for index in FollowUp._meta.indexes}
    follow_ups = selectors.public_follow_ups()
    assert list(follow_ups.query.order_by) == indexes["followup_latest"] == ["-date", "-id"]


def test_public_pages_are_the_same_for_every_visitor(client, pledge):
    """No CSRF token and no cookie on a public page, so one rendering serves everyone; the
    language switch works without a token."""
    from django.test import Client

    response = client.get("/kommun/kungalv/")
    assert "csrfmiddlewaretoken" not in response.text
    assert not response.cookies
    strict = Client(enforce_csrf_checks=True)
    switched = strict.post("/i18n/setlang/", {"language": "en", "next": "/kommun/kungalv/"})
    assert switched.status_code == 302
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in strict.get("/kommun/kungalv/").text


def test_a_pledges_latest_activities_are_bounded_by_its_latest_date(pledge):
    # Without the bound PostgreSQL walked the national activity_latest index from the newest
    # activity in the country back to this löfte's (half a second for an ended löfte).
    other = CommitmentFactory(pledge=PledgeFactory(municipality__slug="ale"))
    ActivityFactory(commitment=other, date=timezone.localdate())
    old = datetime.date(2020, 5, 4)
    ActivityFactory(commitment=pledge.commitments.get(), date=old)
    Pledge.objects.prefetch_page(pledge)
    Pledge.objects.attach_achieved(pledge)
    latest = Activity.objects.latest_public_for(pledge, 5)
    assert '"date" <=' in str(latest.query)
    assert [a.commitment.pledge_id for a in latest] == [pledge.pk, pledge.pk]


# --- the cached page answered before the rest of the middleware -------------------------


def test_a_hit_is_answered_before_the_middleware_a_made_page_needs(
    client, pledge, django_assert_num_queries
):
    made = client.get("/kommun/kungalv/")
    assert hasattr(made.wsgi_request, "user")  # made through the whole stack
    with django_assert_num_queries(1):  # the versions
        hit = client.get("/kommun/kungalv/")
    assert not hasattr(hit.wsgi_request, "user")  # authentication and what follows: skipped
    assert hit.content == made.content
    # Every header the made page had, with the same value (the security headers, the
    # language, the validators, Cache-Control and Vary), and no other.
    assert dict(hit.headers) == dict(made.headers)


def test_a_matching_etag_is_answered_with_304_before_the_middleware(client, pledge):
    etag = client.get("/kommun/kungalv/").headers["ETag"]
    response = client.get("/kommun/kungalv/", headers={"if-none-match": etag})
    assert response.status_code == 304
    assert not hasattr(response.wsgi_request, "user")
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"].startswith("public")


def test_a_page_not_in_the_cache_is_made_with_one_read_of_the_versions(client, pledge):
    with CaptureQueriesContext(connection) as queries:
        client.get("/kommun/kungalv/")
    reads = [q["sql"] for q in queries if "pledges_contentversion" in q["sql"]]
    assert len(reads) == 1, reads


@pytest.mark.parametrize("cookie", ["session", "messages"])  # staff; a pending message
def test_visitors_with_a_cookie_of_their_own_are_not_answered_early(client, pledge, cookie):
    client.get("/kommun/kungalv/")  # in the cache now
    if cookie == "session":
        # A session that exists (one that does not counts as none: test_hardening).
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session["seen"] = True
        session.create()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    else:
        client.cookies[cookie] = "x"
    assert hasattr(client.get("/kommun/kungalv/").wsgi_request, "user")


def test_a_post_is_not_answered_early(client, pledge):
    client.get("/kommun/kungalv/")
    assert hasattr(client.post("/kommun/kungalv/").wsgi_request, "user")


def test_other_addresses_pass_through(client, db):
    assert client.get("/finns-inte/").status_code == 404
    response = client.get("/om/")
    assert response.status_code == 200
    assert hasattr(response.wsgi_request, "user")


def test_a_page_missed_by_two_threads_at_once_is_made_once(rf, pledge):
    """After a write every thread reading a page misses at the same moment; one makes it,
    the other waits and serves the copy."""
    import threading
    import time as clock

    started = threading.Event()

    @public_page(municipality)
    def slow_view(request, slug):
        calls.append(slug)
        started.set()
        clock.sleep(0.3)
        return HttpResponse(f"made {len(calls)}")

    requests = [rf.get("/kommun/kungalv/langsam/") for _ in range(2)]
    for request in requests:  # the versions, read here: the threads need no database
        http.page_versions(request, municipality("kungalv"))
    calls.clear()
    responses = [None, None]

    def serve(number):
        responses[number] = slow_view(requests[number], slug="kungalv")

    first = threading.Thread(target=serve, args=(0,))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=serve, args=(1,))
    second.start()
    first.join(5)
    second.join(5)
    assert calls == ["kungalv"]
    assert responses[0].content == responses[1].content == b"made 1"


def test_one_at_a_time_releases_the_key_when_done():
    with http.one_at_a_time("page:x") as first:
        assert first
    with http.one_at_a_time("page:x") as first:
        assert first  # nobody is making it any more


def test_a_page_is_kept_compressed_and_served_as_it_was():
    page = HttpResponse("<li>Fotpatrullering i centrum</li>\n" * 500, headers={"X-Own": "1"})
    frozen = http._freeze(page)
    assert len(frozen[2]) < len(page.content) / 5
    served = http._thaw(frozen)
    assert served.content == page.content
    assert served.headers["X-Own"] == "1"


BROWSER = {"accept-encoding": "gzip, deflate, br, zstd"}


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip, deflate, br, zstd", True),
        ("gzip", True),
        ("GZIP;q=0.5", True),
        ("x-gzip", True),
        ("br, *", True),
        ("", False),
        ("identity", False),
        ("br, zstd", False),
        ("gzip;q=0", False),
        ("gzip; q=0.000, *", False),
        ("*;q=0", False),
        ("*, gzip;q=0", False),
    ],
)
def test_accepts_gzip(rf, header, accepted):
    assert http.accepts_gzip(rf.get("/", headers={"accept-encoding": header})) is accepted


def test_a_browser_gets_the_kept_copy_gzip_encoded(rf, pledge, django_assert_num_queries):
    calls.clear()
    made = get(rf, **BROWSER)
    assert made.headers["Content-Encoding"] == "gzip"
    plain = get(rf)
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(made.content) == plain.content
    assert calls == ["kungalv"]  # one copy kept, both encodings served from it
    with django_assert_num_queries(1):  # the versions
        hit = get(rf, **BROWSER)
    assert hit.content == made.content
    assert dict(hit.headers) == dict(made.headers)
    for response in (made, plain):
        assert "Accept-Encoding" in response.headers["Vary"]


def test_each_encoding_has_its_own_etag(rf, pledge):
    encoded, plain = get(rf, **BROWSER), get(rf)
    assert encoded.headers["ETag"] != plain.headers["ETag"]
    assert get(rf, **BROWSER, **{"if-none-match": encoded.headers["ETag"]}).status_code == 304
    assert get(rf, **{"if-none-match": plain.headers["ETag"]}).status_code == 304
    # A copy of the other encoding is not the one this client would get.
    assert get(rf, **{"if-none-match": encoded.headers["ETag"]}).status_code == 200
    assert get(rf, **BROWSER, **{"if-none-match": plain.headers["ETag"]}).status_code == 200


def test_a_page_that_is_not_kept_is_sent_as_made(rf, pledge):
    @public_page(municipality)
    def missing(request, slug):
        return HttpResponse("saknas", status=404)

    response = missing(rf.get("/x/", headers=BROWSER), slug="kungalv")
    assert response.content == b"saknas"
    assert "Content-Encoding" not in response.headers
    assert response.headers["ETag"] == get(rf, "/x/").headers["ETag"]  # the plain copy's


def test_the_middleware_serves_a_browser_the_gzip_copy(client, pledge, django_assert_num_queries):
    made = client.get("/kommun/kungalv/", headers=BROWSER)
    with django_assert_num_queries(1):  # the versions
        hit = client.get("/kommun/kungalv/", headers=BROWSER)
    assert not hasattr(hit.wsgi_request, "user")
    assert dict(hit.headers) == dict(made.headers)
    assert hit.headers["Content-Encoding"] == "gzip"
    assert int(hit.headers["Content-Length"]) == len(hit.content)
    page = gzip.decompress(hit.content)
    assert page == client.get("/kommun/kungalv/").content
    assert b"<html" in page


def test_kept_figures_are_bounded_and_shared_through_the_cache():
    from django.core.cache import cache

    from pagecache.store import Kept

    kept = Kept(size=2)
    kept.set("a", {"n": 1})
    kept.set("b", {"n": 2})
    assert kept.get("a") == {"n": 1}  # "a" is now the most recently used
    kept.set("c", {"n": 3})
    assert list(kept.entries) == ["a", "c"]
    # "b" left this process, but the cache still has it (another process, a shared cache).
    assert kept.get("b") == {"n": 2}
    cache.clear()
    kept.clear()
    assert kept.get("a") is None


def test_a_logged_activity_leaves_the_map_places_cached_a_pledge_write_does_not(
    pledge, django_assert_num_queries
):
    commitment = CommitmentFactory(pledge=pledge, target_quantity=1)
    home_summary()
    ActivityFactory(commitment=commitment)
    # The versions, the löften, the states (versions, one kommun counted), the kommuner,
    # the map's versions: the places themselves are not read again.
    with django_assert_num_queries(6) as queries:
        home_summary()
    assert not any("has_current_pledge" in q["sql"] for q in queries.captured_queries)
    assert {place.slug: place.state for place in home_summary()["map_places"]}["kungalv"] == (
        "current"
    )
    pledge.end_date = timezone.localdate() - datetime.timedelta(days=1)
    pledge.start_date = pledge.end_date - datetime.timedelta(days=365)
    pledge.save()
    places = {place.slug: place.state for place in home_summary()["map_places"]}
    assert places["kungalv"] == "ended"
