"""Every write to public content moves the content versions of the scopes it touches, in
its own transaction, through the one path in the model layer (pagecache/versions.py): no
writer has to remember it.

Each test primes the home page's cached figures, writes through one path and expects the
versions of the kommun, its police area and the nation to have moved (and another kommun's
not), and the next read of the figures to show the write.
"""

import contextlib
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from pagecache.versions import versions
from pledges import services_archive
from pledges.figures import home_summary
from pledges.models import Activity, Commitment, Pledge
from pledges.progress import State
from tests.factories import ActivityFactory, CommitmentFactory, SafetyWalkFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


@pytest.fixture
def goal(staff_world):
    """A commitment in our current löfte that two activities achieve."""
    return CommitmentFactory(
        pledge=staff_world.ours["pledge"],
        focus_area=staff_world.ours["focusarea"],
        target_quantity=2,
    )


def achieved():
    return home_summary()["summary"].states.get(State.ACHIEVED, 0)


def municipalities():
    return home_summary()["summary"].municipalities


OURS = ["municipality:kungalv", "police_area:kungalv-ale", "nation"]


@pytest.fixture
def primed(django_assert_num_queries):
    """Reads a figure once, so it is cached, and checks that it is: a second read costs only
    the version query and would hide a write that did not move the version."""

    def prime(read):
        value = read()
        with django_assert_num_queries(1):
            assert read() == value
        return value

    return prime


@pytest.fixture
def write(staff_world):
    """Around a write: the versions of our kommun, our police area and the nation move;
    the other kommun's do not."""

    @contextlib.contextmanager
    def moved(scopes=OURS, unchanged=("municipality:trollhattan",), texts=True):
        """`texts`: whether the kommun's text version moves too (every write but the
        logging of activities, whose log it leaves out)."""
        kommuner = [scope.partition(":")[2] for scope in scopes if scope.startswith("mun")]
        text_scopes = [f"municipality_text:{slug}" for slug in kommuner]
        every = [*scopes, *unchanged, *text_scopes]
        before = versions(every)
        yield
        after = versions(every)
        for scope in scopes:
            assert after[scope] > before[scope], scope
        for scope in unchanged:
            assert after[scope] == before[scope], scope
        for scope in text_scopes:
            assert (after[scope] > before[scope]) == texts, scope

    return moved


def activity_data(commitment, quantity):
    return {
        "commitment": commitment.pk,
        "date": timezone.localdate().isoformat(),
        "quantity": quantity,
        "place": "Torget",
        "description": "",
    }


def test_activity_logged_on_the_staff_page(login_as, personas, goal, primed, write):
    client = login_as(personas["police"])
    assert primed(achieved) == 0
    with write(texts=False):
        response = client.post(reverse("staff:register"), activity_data(goal, 2))
    assert response.status_code == 302
    assert achieved() == 1


def test_activity_edited_on_the_staff_page(login_as, personas, goal, primed, write):
    activity = ActivityFactory(commitment=goal, quantity=1, created_by=personas["police"])
    client = login_as(personas["police"])
    assert primed(achieved) == 0
    with write(texts=False):
        response = client.post(
            reverse("staff:edit_activity", args=[activity.pk]), activity_data(goal, 2)
        )
    assert response.status_code == 302
    assert achieved() == 1


def test_activity_undone_on_the_staff_page(login_as, personas, goal, primed, write):
    activity = ActivityFactory(commitment=goal, quantity=2, created_by=personas["police"])
    client = login_as(personas["police"])
    assert primed(achieved) == 1
    with write(texts=False):
        response = client.post(reverse("staff:undo_activity", args=[activity.pk]))
    assert response.status_code == 302
    assert achieved() == 0


def test_activities_imported(login_as, personas, goal, primed, write):
    client = login_as(personas["police"])
    today = timezone.localdate().isoformat()
    text = f"datum;åtagande;antal\n{today};{goal.pk};1\n{today};{goal.pk};1\n"
    assert primed(achieved) == 0
    with write(texts=False):
        response = client.post(reverse("staff:import"), {"data": text, "confirm": "1"})
    assert response.status_code == 302
    assert achieved() == 1


@pytest.fixture
def walk(staff_world, goal):
    return SafetyWalkFactory(
        municipality=staff_world.kungalv,
        commitment=goal,
        starts_at=timezone.now() - datetime.timedelta(days=1),
    )


def test_walk_held_and_cancelled(walk, goal, primed, write):
    ActivityFactory(commitment=goal, quantity=1)
    assert primed(achieved) == 0
    with write():
        dialogue_services.record_walk_held(walk=walk, participants=12)
    assert primed(achieved) == 1
    with write():
        dialogue_services.cancel_walk(walk=walk)
    assert achieved() == 0


def test_pledge_archived_by_the_admin_action(login_as, personas, staff_world, primed, write):
    client = login_as(personas["superuser"])
    assert primed(municipalities) == 2
    with write():
        response = client.post(
            reverse("admin:pledges_pledge_changelist"),
            {"action": "archive_selected", "_selected_action": [staff_world.ours["pledge"].pk]},
        )
    assert response.status_code == 302
    assert Pledge.objects.get(pk=staff_world.ours["pledge"].pk).archived_at is not None
    assert municipalities() == 1


def test_pledge_restored(personas, staff_world, primed, write):
    pledge = staff_world.ours["pledge"]
    services_archive.archive_pledge(pledge=pledge, user=personas["superuser"])
    assert primed(municipalities) == 1
    with write():
        services_archive.restore_pledge(pledge=pledge, user=personas["superuser"])
    assert municipalities() == 2


def test_commitment_archived_by_the_admin_action(login_as, personas, goal, primed, write):
    ActivityFactory(commitment=goal, quantity=2)
    client = login_as(personas["superuser"])
    assert primed(achieved) == 1
    with write():
        response = client.post(
            reverse("admin:pledges_commitment_changelist"),
            {"action": "archive_selected", "_selected_action": [goal.pk]},
        )
    assert response.status_code == 302
    assert Commitment.objects.get(pk=goal.pk).archived_at is not None
    assert achieved() == 0


def test_bulk_queryset_writes(goal, primed, write):
    ActivityFactory(commitment=goal, quantity=1)
    assert primed(achieved) == 0
    with write(texts=False):
        Activity.objects.filter(commitment=goal).update(quantity=2)
    assert primed(achieved) == 1
    with write(texts=False):
        Activity.objects.filter(commitment=goal).delete()
    assert primed(achieved) == 0
    # Bulk creation (demo and scale data) moves the reference version every page reads.
    with write(["reference", "nation"], unchanged=()):
        Activity.objects.bulk_create([Activity(commitment=goal, quantity=2)])
    assert achieved() == 1


def test_walk_findings_and_synpunkter_move_their_kommun(staff_world, walk, write):
    from dialogues.models import Feedback, Finding
    from tests.factories import FeedbackFactory, FindingFactory

    with write():
        finding = FindingFactory(walk=walk)
    with write():
        Finding.objects.filter(pk=finding.pk).update(status=Finding.Status.FIXED)
    with write():
        feedback = FeedbackFactory(municipality=staff_world.kungalv)
    with write():
        Feedback.objects.filter(pk=feedback.pk).update(is_published=False)


def test_a_follow_up_note_moves_its_kommun(staff_world, write):
    with write():
        staff_world.ours["followupnote"].note = "Ny text"
        staff_world.ours["followupnote"].save()


def test_an_activity_moved_to_another_kommun_moves_both(staff_world, write):
    activity = staff_world.ours["activity"]
    with write(
        [*OURS, "municipality:trollhattan", "police_area:ostra-fyrbodal"], unchanged=(), texts=False
    ):
        activity.commitment = staff_world.theirs["commitment"]
        activity.save()


def test_reference_data_moves_every_page(staff_world, write):
    with write(["reference", "nation"], unchanged=()):
        staff_world.ale.name = "Ale kommun"
        staff_world.ale.save()


def test_loading_reference_data_moves_the_reference_version(db, write):
    import io

    from django.core.management import call_command

    with write(["reference", "nation"], unchanged=()):
        call_command("load_reference_data", stdout=io.StringIO())


def test_admin_actions_publish_and_unpublish(login_as, personas, staff_world, write):
    client = login_as(personas["superuser"])
    changelist = reverse("admin:pledges_pledge_changelist")
    for action in ("unpublish", "publish_now"):
        with write():
            response = client.post(
                changelist, {"action": action, "_selected_action": [staff_world.ours["pledge"].pk]}
            )
        assert response.status_code == 302


def test_admin_change_form_of_a_follow_up(login_as, personas, staff_world, write):
    follow_up = staff_world.ours["followup"]
    client = login_as(personas["superuser"])
    url = reverse("admin:pledges_followup_change", args=[follow_up.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in page.context["adminform"].form.initial.items()
        if value is not None and not hasattr(value, "pk")
    }
    data.update(
        {
            "pledge": follow_up.pledge_id,
            "date": follow_up.date.isoformat(),
            "title": "Uppföljning, ändrad i admin",
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        management = formset.formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{prefix}-{name}"] = management[name].value()
        for index, form in enumerate(formset.formset.forms):
            for name in form.fields:
                value = form[name].value()
                if value is not None:
                    data[f"{prefix}-{index}-{name}"] = getattr(value, "pk", value)
    with write():
        response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context.get("errors")


def test_services_extend_and_renew(personas, staff_world, write):
    from pledges import services

    pledge = staff_world.ours["pledge"]
    with write():
        services.extend_pledge(
            pledge=pledge,
            new_end_date=pledge.end_date + datetime.timedelta(days=90),
            reason="Ett år till",
            user=personas["police"],
        )
    with write():
        services.copy_pledge_for_next_period(
            pledge=pledge,
            start_date=pledge.end_date + datetime.timedelta(days=91),
            end_date=pledge.end_date + datetime.timedelta(days=456),
            user=personas["police"],
        )


def test_purging_personal_data_moves_the_kommun(staff_world, write):
    import io

    from django.core.management import call_command

    from tests.factories import FeedbackFactory

    feedback = FeedbackFactory(
        municipality=staff_world.kungalv, name="Anna", email="a@example.se", consent=True
    )
    type(feedback).objects.filter(pk=feedback.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3 * 365)
    )
    with write():
        call_command("purge_personal_data", stdout=io.StringIO())


def test_loading_the_demo_moves_the_versions(reference_data, write):
    import io

    from django.core.management import call_command

    with write(["reference", "nation"], unchanged=()):
        call_command("load_demo", stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_in_opposite_order_do_not_deadlock():
    """Two transactions that each write in two kommuner, in opposite orders: a row another
    transaction holds is skipped for one of the scope's own (pagecache.versions.bump), so
    neither waits for the other, nothing deadlocks, and no increment is lost."""
    import threading
    import time as clock
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections, transaction

    from pagecache.versions import bump

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; row locks matter on PostgreSQL")
    bump({"municipality:a", "municipality:b"})
    before = versions(["municipality:a", "municipality:b", "nation"])
    both_started = threading.Barrier(2, timeout=10)

    def write(first, second):
        try:
            both_started.wait()
            with transaction.atomic():
                bump({first})
                clock.sleep(0.3)
                bump({second})
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [
            pool.submit(write, "municipality:a", "municipality:b"),
            pool.submit(write, "municipality:b", "municipality:a"),
        ]
        for future in futures:
            future.result(timeout=30)
    after = versions(["municipality:a", "municipality:b", "nation"])
    assert after["municipality:a"] == before["municipality:a"] + 2
    assert after["municipality:b"] == before["municipality:b"] + 2
    assert after["nation"] == before["nation"] + 4


def test_a_dialogue_and_a_commitment_outcome_move_their_kommun(staff_world, goal, write):
    from tests.factories import DialogueFactory

    with write():
        dialogue = DialogueFactory(municipality=staff_world.kungalv)
    with write():
        dialogue.commitments.add(goal)
        dialogue.save()
    with write():
        goal.outcome = Commitment.Outcome.FULFILLED
        goal.save()


@pytest.mark.django_db(transaction=True)
def test_the_version_read_is_the_health_check_of_a_persistent_connection(monkeypatch):
    """A cached page's one round trip: no `SELECT 1` before the version read."""
    from django.db import connection

    versions(["nation"])  # connected
    connection.close_if_unusable_or_obsolete()  # as at the start of the next request
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    assert versions(["nation"])["nation"] >= 0
    assert checks == []


@pytest.mark.django_db(transaction=True)
def test_a_connection_that_died_is_replaced_by_the_version_read():
    """After a database restart the first request on a persistent connection gets the page,
    not a 503, as the health check it replaces would have made sure."""
    import psycopg
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("terminates a PostgreSQL backend")
    before = versions(["nation"])
    connection.close_if_unusable_or_obsolete()  # as at the start of the next request
    dead = connection.connection.info.backend_pid
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"],
        port=params["PORT"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dead])
    assert versions(["nation"]) == before
    assert connection.connection.info.backend_pid != dead
