"""The national lists walk an activity index whatever the planner's statistics say: right
after a bulk load or a restore, before any ANALYZE, PostgreSQL took the public löften for a
handful and read and sorted every activity of theirs (reports/selectors.py,
`public_one_by_one`)."""

import pytest
from django.db import connection

from demo import scale_data
from reports import selectors
from reports.resources import RESOURCES, Filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded_without_statistics(reference_data):
    """A few thousand activities over some twenty löften, never analysed."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    scale_data.generate(municipality_count=6, years=2, activities=2500, seed=3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'pledges_activity'")
        assert cursor.fetchone()[0] == -1  # no statistics


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def walks(found, index):
    """The plan starts by walking `index` in order and stops at the page's end: no sort of
    the activities it read."""
    lines = found.splitlines()
    assert lines[0].startswith("Limit"), found
    assert any(f"Index Scan using {index} on pledges_activity" in line for line in lines), found
    assert not any("Sort Key: pledges_activity" in line for line in lines), found


def test_the_national_feed_walks_the_index_of_the_latest_logged(loaded_without_statistics):
    walks(plan(selectors.feed_activities()), "activity_logged_latest")
    assert len(list(selectors.feed_activities())) == 30


def test_the_api_list_of_activities_walks_the_index_of_the_latest(loaded_without_statistics):
    activities = next(resource for resource in RESOURCES if resource.key == "activities")
    rows = activities.page_rows(Filters())
    walks(plan(rows[:50]), "activity_latest")
    walks(plan(rows[200:250]), "activity_latest")
    # The same records as every row read through the join, in the same order.
    assert list(rows[:50]) == list(activities.rows(Filters())[:50])
