"""Conditional GET (pledges/http.py), the cached national figures (pledges/cache.py) and the
benchmark-only helpers (medborgarlofte/bench.py)."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from medborgarlofte import bench
from pledges.cache import home_summary
from pledges.http import conditional_page, municipality_last_modified, pledge_last_modified
from pledges.models import Pledge
from tests.factories import ActivityFactory, CommitmentFactory, PledgeFactory


@pytest.fixture
def pledge(db):
    pledge = PledgeFactory(municipality__slug="kungalv", slug="2025")
    commitment = CommitmentFactory(pledge=pledge)
    ActivityFactory(commitment=commitment, date=timezone.localdate())
    return pledge


calls = []


@conditional_page(municipality_last_modified)
def dummy_kommun_view(request, slug):
    calls.append(slug)
    return HttpResponse(f"kommun {slug}")


def test_first_get_has_validators(rf, pledge):
    calls.clear()
    response = dummy_kommun_view(rf.get("/kommun/kungalv/"), slug="kungalv")
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('W/"')
    assert response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "no-cache"
    assert "Cookie" in response.headers["Vary"]
    assert calls == ["kungalv"]


def test_matching_etag_gives_304_without_running_the_view(rf, pledge):
    etag = dummy_kommun_view(rf.get("/kommun/kungalv/"), slug="kungalv").headers["ETag"]
    calls.clear()
    with CaptureQueriesContext(connection) as queries:
        response = dummy_kommun_view(
            rf.get("/kommun/kungalv/", headers={"if-none-match": etag}), slug="kungalv"
        )
    assert response.status_code == 304
    assert calls == []
    assert len(queries) == 1  # the freshness check only


def test_if_modified_since_gives_304(rf, pledge):
    last_modified = dummy_kommun_view(rf.get("/"), slug="kungalv").headers["Last-Modified"]
    response = dummy_kommun_view(
        rf.get("/", headers={"if-modified-since": last_modified}), slug="kungalv"
    )
    assert response.status_code == 304


def test_a_new_activity_changes_the_validators(rf, pledge):
    first = dummy_kommun_view(rf.get("/"), slug="kungalv").headers["ETag"]
    later = timezone.now() + datetime.timedelta(seconds=5)
    activity = ActivityFactory(commitment=pledge.commitments.get())
    type(activity).objects.filter(pk=activity.pk).update(updated_at=later)
    response = dummy_kommun_view(rf.get("/", headers={"if-none-match": first}), slug="kungalv")
    assert response.status_code == 200
    assert response.headers["ETag"] != first
    assert response.headers["Last-Modified"] == http_date(int(later.timestamp()))


def test_another_language_is_another_etag(rf, pledge):
    from django.utils import translation

    sv = dummy_kommun_view(rf.get("/"), slug="kungalv").headers["ETag"]
    with translation.override("en"):
        en = dummy_kommun_view(rf.get("/"), slug="kungalv").headers["ETag"]
    assert sv != en


def test_validators_change_at_midnight(rf, pledge, monkeypatch):
    """Progress "by today" moves with the date, so yesterday's copy is stale."""
    Pledge.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    pledge.commitments.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    pledge.commitments.get().activities.update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    today = dummy_kommun_view(rf.get("/"), slug="kungalv").headers["Last-Modified"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr("pledges.http.timezone.localdate", lambda: tomorrow)
    assert dummy_kommun_view(rf.get("/"), slug="kungalv").headers["Last-Modified"] != today


def test_unknown_kommun_runs_the_view(rf, db):
    calls.clear()
    response = dummy_kommun_view(rf.get("/kommun/finns-inte/"), slug="finns-inte")
    assert calls == ["finns-inte"]
    assert "ETag" not in response.headers


def test_post_is_not_conditional(rf, pledge):
    calls.clear()
    response = dummy_kommun_view(rf.post("/", headers={"if-none-match": "*"}), slug="kungalv")
    assert response.status_code == 200
    assert calls == ["kungalv"]


def test_pledge_last_modified_is_one_query(pledge, django_assert_num_queries):
    with django_assert_num_queries(1):
        changed = pledge_last_modified(None, "kungalv", "2025")
    assert changed is not None


def test_a_future_publication_is_not_a_change_yet(db):
    pledge = PledgeFactory(
        municipality__slug="tanum", published_at=timezone.now() + datetime.timedelta(days=9)
    )
    assert municipality_last_modified(None, "tanum") == pledge.updated_at


# --- national summary -----------------------------------------------------------------


def test_home_summary_counts_published_pledges_only(pledge):
    PledgeFactory(status=Pledge.Status.DRAFT)
    figures = home_summary()
    assert figures["summary"].municipalities == 1
    assert figures["summary"].total == 1
    assert figures["municipality_total"] == 2


def test_home_summary_is_cached(pledge, django_assert_num_queries):
    with django_assert_num_queries(3):
        home_summary()
    with django_assert_num_queries(0):
        home_summary()


def test_home_summary_is_cleared_after_the_write_commits(
    pledge, django_capture_on_commit_callbacks
):
    """Saving clears the figures once the transaction commits, not before: a concurrent
    request in between would cache the old figures again (tests/test_freshness.py has a
    test per write path)."""
    assert home_summary()["summary"].total == 1
    with django_capture_on_commit_callbacks() as callbacks:
        CommitmentFactory(pledge=pledge)
        assert home_summary()["summary"].total == 1  # not yet committed: still cached
    assert len(callbacks) >= 1
    for callback in callbacks:
        callback()
    assert home_summary()["summary"].total == 2


# --- benchmark helpers ----------------------------------------------------------------


def test_query_count_header(rf, pledge):
    def view(request):
        list(Pledge.objects.all())
        list(Pledge.objects.all())
        return HttpResponse("ok")

    response = bench.QueryCountMiddleware(view)(rf.get("/"))
    assert response.headers["X-Query-Count"] == "2"


def test_floor_pages_use_no_database(rf, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert bench.floor(rf.get("/bench/floor/")).status_code == 200
        assert bench.floor_layout(rf.get("/bench/floor-layout/")).status_code == 200


def test_floor_url_only_exists_in_benchmarks(client, db, settings):
    assert not settings.BENCH
    assert client.get("/bench/floor/").status_code == 404


def test_home_county_list_is_cached(client, reference_data, django_assert_num_queries):
    with django_assert_num_queries(5):
        first = client.get("/")
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second.text.count('href="/kommun/') == first.text.count('href="/kommun/') == 290


def test_home_county_list_is_cached_per_language(client, reference_data):
    client.get("/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert '<html lang="en">' in response.text
    assert response.text.count('href="/kommun/') == 290


@pytest.mark.django_db(transaction=True)
def test_stream_queryset_iterates_inside_a_transaction(pledge):
    from django.db import connection as db

    from pledges.http import stream_queryset
    from pledges.models import Activity

    ActivityFactory.create_batch(4, commitment=pledge.commitments.get())
    assert not db.in_atomic_block
    seen = []
    for activity in stream_queryset(Activity.objects.order_by("-date", "-id"), chunk_size=2):
        seen.append((activity.pk, db.in_atomic_block))
    assert len(seen) == 5
    assert all(in_atomic for _, in_atomic in seen)
    assert not db.in_atomic_block


@pytest.mark.parametrize("cookie", ["sessionid", "__Host-sessionid", "messages"])
def test_visitors_with_a_session_or_a_message_get_the_full_page(rf, pledge, settings, cookie):
    if cookie.endswith("sessionid"):
        settings.SESSION_COOKIE_NAME = cookie
    etag = dummy_kommun_view(rf.get("/"), slug="kungalv").headers["ETag"]
    request = rf.get("/", headers={"if-none-match": etag})
    request.COOKIES[cookie] = "x"
    calls.clear()
    response = dummy_kommun_view(request, slug="kungalv")
    assert response.status_code == 200
    assert calls == ["kungalv"]


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
