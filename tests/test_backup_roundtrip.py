"""All data survives a round trip through dumpdata/restore_backup with natural keys, between
SQLite and PostgreSQL (SQLite → PostgreSQL on a SQLite test run, PostgreSQL → SQLite on a
PostgreSQL run), with every table's row count equal. See docs/production.md "Backup and
restore"."""

import datetime
import io
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection, transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SignInAttempt
from pagecache.versions import NATION, REFERENCE, versions
from pledges import models
from pledges.services_archive import archive_commitment
from tests import factories
from tests.table_counts import table_counts

BASE_DIR = Path(__file__).resolve().parent.parent
POSTGRES = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}


def manage(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop("DEBUG", None)
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        timeout=300,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stderr[-3000:]}")
    return result


@pytest.fixture
def target_database(tmp_path):
    """A fresh, empty database of the other kind: PostgreSQL for a SQLite run and back."""
    if connection.vendor == "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    psycopg = pytest.importorskip("psycopg")
    name = f"mlf_roundtrip_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **POSTGRES)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable on 127.0.0.1:5432: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgres://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def everything(reference_data):
    """At least one row of every kind of data the project holds today."""
    kungalv = models.Municipality.objects.get(slug="kungalv")
    ale = models.Municipality.objects.get(slug="ale")
    region = models.PoliceRegion.objects.get(name="Väst")
    area = models.PoliceArea.objects.create(
        name="Kungälv/Ale", slug="kungalv-ale", police_district="Storgöteborg", region=region
    )
    area.municipalities.add(kungalv, ale)
    partner = models.Partner.objects.create(name="Kriminalvården")
    group = Group.objects.create(name="Kommunpoliser")
    group.permissions.add(*Permission.objects.filter(codename__endswith="_activity"))
    user = factories.UserFactory(username="polis.kungalv-ale")
    user.save()
    user.groups.add(group)
    models.Membership.objects.create(user=user, police_area=area)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    StaticDevice.objects.create(user=user, name="reserv").token_set.create(token="abc12345")
    SignInAttempt.objects.create(username="polis.kungalv-ale", user=user, success=True)

    pledge = factories.PledgeFactory(municipality=kungalv, police_area=area, slug="2025-2026")
    pledge.partners.add(partner)
    models.Signatory.objects.create(
        pledge=pledge, name="Anna Andersson", title="Lokalpolisområdeschef"
    )
    models.Contact.objects.create(pledge=pledge, name="Kommunpolisen", email="k@example.se")
    models.PledgeExtension.objects.create(
        pledge=pledge,
        previous_end_date=pledge.end_date,
        new_end_date=pledge.end_date + datetime.timedelta(days=365),
        created_by=user,
    )
    commitment = factories.CommitmentFactory(pledge=pledge)
    commitment.responsible_partners.add(partner)
    factories.ActivityFactory.create_batch(3, commitment=commitment, created_by=user)
    deleted = factories.ActivityFactory(commitment=commitment)
    deleted.delete()  # leaves a deletion in the history
    archived = factories.CommitmentFactory(pledge=pledge)
    archive_commitment(commitment=archived, user=user)
    follow_up = models.FollowUp.objects.create(
        pledge=pledge, date=datetime.date(2026, 6, 1), title="Vårens uppföljning"
    )
    models.FollowUpNote.objects.create(follow_up=follow_up, commitment=commitment, note="I fas.")


def test_dumpdata_restore_backup_round_trip_keeps_every_row(everything, target_database, tmp_path):
    source = table_counts()
    assert source["pledges_municipality"] == 290
    assert source["pledges_historicalactivity"] >= 5

    dump = tmp_path / "backup.json"
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--output",
        str(dump),
        stdout=io.StringIO(),
    )
    manage(target_database, "migrate", "--noinput")
    manage(target_database, "restore_backup", str(dump))
    result = manage(
        target_database,
        "shell",
        "-c",
        "from tests.table_counts import print_table_counts; print_table_counts()",
    )
    restored = json.loads(result.stdout.strip().splitlines()[-1])

    differences = {
        table: (count, restored.get(table))
        for table, count in source.items()
        if restored.get(table) != count
    }
    assert not differences
    assert restored.keys() == source.keys()


def dump_to(path):
    call_command(
        "dumpdata",
        "--natural-foreign",
        "--natural-primary",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )


@pytest.fixture
def commitment_with_partner(db):
    commitment = factories.CommitmentFactory()
    commitment.responsible_partners.add(models.Partner.objects.create(name="Kriminalvården"))
    return commitment


def test_restore_backup_records_no_history_of_its_own(commitment_with_partner, tmp_path):
    dump = tmp_path / "backup.json"
    dump_to(dump)

    def counts_after(command):
        with transaction.atomic():
            models.Partner.objects.filter(name="Kriminalvården").delete()
            call_command(command, str(dump), stdout=io.StringIO())
            counts = table_counts()
            transaction.set_rollback(True)
        return counts

    restored = counts_after("restore_backup")
    loaded = counts_after("loaddata")
    # Django's own loaddata records the re-added many-to-many as new history, rows that were
    # never in the backup: the difference restore_backup exists for.
    extra = {
        table: loaded[table] - restored[table]
        for table in loaded
        if loaded[table] != restored[table]
    }
    assert extra and all(
        table.startswith("pledges_historical") and n > 0 for table, n in extra.items()
    )


def test_restore_backup_brings_back_deleted_rows(commitment_with_partner, tmp_path):
    dump = tmp_path / "backup.json"
    dump_to(dump)
    models.Partner.objects.filter(name="Kriminalvården").delete()

    out = io.StringIO()
    call_command("restore_backup", str(dump), dry_run=True, stdout=out)
    assert "nothing saved" in out.getvalue()
    assert not models.Partner.objects.filter(name="Kriminalvården").exists()

    before = versions([NATION, REFERENCE])
    call_command("restore_backup", str(dump), stdout=io.StringIO())
    commitment = models.Commitment.objects.get(pk=commitment_with_partner.pk)
    assert [p.name for p in commitment.responsible_partners.all()] == ["Kriminalvården"]
    # Every page cached before the restore is unreachable after it: the versions moved on
    # from where they were, not back to the backup's.
    after = versions([NATION, REFERENCE])
    assert after[NATION] > before[NATION] and after[REFERENCE] > before[REFERENCE]


def test_loaddata_is_djangos_own():
    from django.core.management import get_commands

    assert get_commands()["loaddata"] == "django.core"
    assert get_commands()["restore_backup"] == "pledges"
