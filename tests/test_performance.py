"""Streaming CSV in a transaction (pledges/http.py), the cached national summary
(pledges/cache.py) and the benchmark's settings (bench/settings.py)."""

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from bench import middleware as bench_middleware
from bench import settings as bench_settings
from bench import views as bench_views
from pledges.cache import invalidate_national_summary, national_summary
from pledges.models import Pledge
from tests.factories import ActivityFactory, CommitmentFactory, PledgeFactory


@pytest.fixture
def pledge(db):
    pledge = PledgeFactory(municipality__slug="kungalv", slug="2025")
    commitment = CommitmentFactory(pledge=pledge)
    ActivityFactory(commitment=commitment, date=timezone.localdate())
    return pledge


# --- national summary -----------------------------------------------------------------


def test_national_summary_counts_published_pledges_only(pledge):
    PledgeFactory(status=Pledge.Status.DRAFT)
    summary = national_summary()
    assert summary["current_pledges"] == 1
    assert summary["municipalities_with_current_pledge"] == 1
    assert summary["current_commitments"] == 1
    assert summary["activities_this_year"] == 1


def test_national_summary_is_cached(pledge, django_assert_num_queries):
    national_summary()
    with django_assert_num_queries(0):
        national_summary()


def test_invalidation_after_commit(pledge, django_capture_on_commit_callbacks):
    assert national_summary()["activities_this_year"] == 1
    ActivityFactory(commitment=pledge.commitments.get(), date=timezone.localdate())
    assert national_summary()["activities_this_year"] == 1  # still cached
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_national_summary()
    assert national_summary()["activities_this_year"] == 2


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
    with django_assert_num_queries(6):
        first = client.get("/")
    with django_assert_num_queries(0):
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
    the whole result is computed before the first row (pledges.http.csv_lines)."""
    from django.db import connection as db

    from pledges.http import csv_lines
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
