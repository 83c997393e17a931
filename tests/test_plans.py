"""The national lists walk an activity index whatever the planner's statistics say: right
after a bulk load or a restore, before any ANALYZE, PostgreSQL took the public löften for a
handful and read and sorted every activity of theirs (reports/selectors.py,
`public_one_by_one`, `newest_public`)."""

import pytest
from django.db import connection

from demo import scale_data
from pledges.models import Activity
from reports import selectors
from reports.resources import RESOURCES, Filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded_without_statistics(reference_data):
    """20,000 activities over a dozen löften, not analysed: the state of the tables
    right after a restore into a new database. (TRUNCATE, in the test's transaction, gives
    the tables new files with no row counts: an earlier test's ANALYZE outlives its
    rollback.)"""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE pledges_pledge, pledges_commitment, pledges_activity CASCADE")
    scale_data.generate(municipality_count=6, years=2, activities=20000, seed=3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'pledges_activity'")
        assert cursor.fetchone()[0] == -1  # no statistics


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def walks(found, index):
    """The plan reads the page's ids by walking `index` in order under a LIMIT, and never
    the whole activity table: what it costs does not grow with the table."""
    lines = found.splitlines()
    walk = next(
        (n for n, line in enumerate(lines) if f"using {index} on pledges_activity" in line), None
    )
    assert walk is not None, found
    assert "Index" in lines[walk] and "Limit" in lines[walk - 1], found
    assert "Seq Scan on pledges_activity" not in found, found


def test_the_national_feed_walks_the_index_of_the_latest_logged(loaded_without_statistics):
    walks(plan(selectors.feed_activities()), "activity_logged_latest")
    newest = Activity.objects.public().order_by("-created_at", "-id")[:30]
    assert [a.pk for a in selectors.feed_activities()] == [a.pk for a in newest]


def test_the_api_list_of_activities_walks_the_index_of_the_latest(loaded_without_statistics):
    activities = next(resource for resource in RESOURCES if resource.key == "activities")
    rows = activities.page_rows(Filters())
    walks(plan(rows[:50]), "activity_latest")
    walks(plan(rows[200:250]), "activity_latest")
    # The same records as every row read through the join, in the same order.
    every = activities.rows(Filters())
    assert list(rows[:50]) == list(every[:50])
    assert list(rows[200:250]) == list(every[200:250])
