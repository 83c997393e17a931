"""Writers in different kommuner do not wait for each other (pagecache/versions.py, `bump`):
every write moves the nation's version, but no writer holds a row of it that another needs
until it commits."""

import threading
import time as clock

import pytest
from django.db import connection, connections, transaction

from pagecache.versions import bump, versions
from tests.factories import ActivityFactory


@pytest.mark.django_db(transaction=True)
def test_a_long_write_in_one_kommun_does_not_hold_up_a_write_in_another(staff_world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; row locks matter on PostgreSQL")
    before = versions(["nation", "municipality:kungalv", "municipality:trollhattan"])
    written = threading.Event()
    failed = []

    def long_write():
        try:
            with transaction.atomic():
                ActivityFactory(commitment=staff_world.ours["commitment"], quantity=1)
                written.set()
                clock.sleep(4)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failed.append(error)
            written.set()
        finally:
            connections.close_all()

    writer = threading.Thread(target=long_write)
    writer.start()
    try:
        assert written.wait(10)
        started = clock.monotonic()
        ActivityFactory(commitment=staff_world.theirs["commitment"], quantity=1)
        took = clock.monotonic() - started
        # The long write has not committed yet: its kommun's version has not moved.
        assert versions(["municipality:kungalv"]) == {
            "municipality:kungalv": before["municipality:kungalv"]
        }
    finally:
        writer.join(10)
    assert not failed
    assert took < 1, took
    after = versions(["nation", "municipality:kungalv", "municipality:trollhattan"])
    assert after["municipality:kungalv"] == before["municipality:kungalv"] + 1
    assert after["municipality:trollhattan"] == before["municipality:trollhattan"] + 1
    assert after["nation"] == before["nation"] + 2


@pytest.mark.django_db(transaction=True)
def test_a_scope_held_by_an_open_transaction_is_moved_through_a_row_of_its_own():
    """The nation's row held by a transaction that has not committed: another writer adds
    a row beside it at once, and the version read sums them."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks matter on PostgreSQL")
    bump({"municipality:a"})
    before = versions(["nation"])["nation"]
    holding = threading.Event()
    release = threading.Event()

    def hold():
        try:
            with transaction.atomic():
                bump({"municipality:a"})
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        started = clock.monotonic()
        bump({"municipality:b"})
        assert clock.monotonic() - started < 1
        assert versions(["nation"])["nation"] == before + 1
    finally:
        release.set()
        holder.join(10)
    assert versions(["nation"])["nation"] == before + 2
