"""Every bulk write ends with ANALYZE of what it filled on PostgreSQL (core/statistics.py):
plans right after a load, not after autovacuum's next round."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.statistics import analyze, tables
from pledges.models import Activity, Pledge
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("ANALYZE is PostgreSQL's")


def analysed(queries):
    """The tables (or "*") each ANALYZE run in `queries` named."""
    found = set()
    for query in queries.captured_queries:
        sql = query["sql"]
        if sql.startswith("ANALYZE"):
            names = sql[len("ANALYZE") :].replace('"', "").split(",")
            found.update(name.strip() or "*" for name in names)
    return found


def estimated_rows(table):
    """The planner's row count of `table`: -1 before its first ANALYZE (PostgreSQL 14+);
    ANALYZE's counts outlive the rollback of a test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def test_generate_scale_data_analyses_what_it_filled(postgresql, reference_data):
    with CaptureQueriesContext(connection) as queries:
        call_command(
            "generate_scale_data", kommuner=2, years=1, activities=300, stdout=io.StringIO()
        )
    assert {"pledges_activity", "pledges_commitment", "dialogues_feedback"} <= analysed(queries)
    # The planner's count is that of the rows just made (not none, nor an earlier test's).
    assert estimated_rows("pledges_activity") == Activity.objects.count() >= 300


def test_load_demo_analyses_what_it_filled(postgresql, reference_data):
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo", stdout=io.StringIO())
    assert {"pledges_pledge", "pledges_activity", "dialogues_safetywalk"} <= analysed(queries)
    # The planner's estimate is the table's row count: the five seed löften and the demo's
    # example next löften, as many as today's date calls for.
    assert estimated_rows("pledges_pledge") == Pledge.objects.count() >= 5


def test_a_dry_run_analyses_nothing(postgresql, reference_data):
    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo", dry_run=True, stdout=io.StringIO())
    assert analysed(queries) == set()


def test_load_police_areas_analyses_the_areas(postgresql, reference_data, tmp_path):
    path = tmp_path / "lpo.csv"
    path.write_text(
        "namn,polisområde,polisregion,kommunkoder\nLPO Nacka,Syd,Stockholm,0182\n",
        encoding="utf-8",
    )
    with CaptureQueriesContext(connection) as queries:
        call_command("load_police_areas", str(path), stdout=io.StringIO())
    assert {"pledges_policearea", "pledges_policearea_municipalities"} <= analysed(queries)


def test_restore_backup_analyses_the_whole_database(postgresql, staff_world, tmp_path):
    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "pledges.Activity",
        natural_foreign=True,
        natural_primary=True,
        output=str(dump),
    )
    assert json.loads(dump.read_text())
    with CaptureQueriesContext(connection) as queries:
        call_command("restore_backup", str(dump), stdout=io.StringIO())
    assert analysed(queries) == {"*"}
    assert estimated_rows("pledges_activity") >= 2


def test_tables_of_an_app_include_its_many_to_many_tables():
    found = tables("pledges")
    assert "pledges_activity" in found
    assert "pledges_policearea_municipalities" in found
    assert tables("pledges.Activity") == ["pledges_activity"]


def test_nothing_is_analysed_elsewhere(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite only")
    ActivityFactory()
    assert analyze("pledges") == []
