"""Every write to public content clears the cached national figures, through the one path
in the model layer (pledges/freshness.py): no writer has to remember it.

Each test primes the home page's figures, writes through one path and expects the next
read to show the write. Without the clearing, the cached figures would still be served.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from pledges import services_archive
from pledges.cache import home_summary
from pledges.models import Activity, Commitment, Pledge
from pledges.progress import State
from tests.factories import ActivityFactory, CommitmentFactory, SafetyWalkFactory
from tests.staff_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(world):
    """A commitment in our current löfte that two activities achieve."""
    return CommitmentFactory(
        pledge=world.ours["pledge"], focus_area=world.ours["focusarea"], target_quantity=2
    )


def achieved():
    return home_summary()["summary"].states.get(State.ACHIEVED, 0)


def municipalities():
    return home_summary()["summary"].municipalities


@pytest.fixture
def primed(django_assert_num_queries):
    """Reads a figure once, so it is cached, and checks that it is: a second read costs no
    query and would hide a write that forgot to clear it."""

    def prime(read):
        value = read()
        with django_assert_num_queries(0):
            assert read() == value
        return value

    return prime


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Runs the clearing the write schedules for after its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


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
    with write():
        response = client.post(reverse("staff:register"), activity_data(goal, 2))
    assert response.status_code == 302
    assert achieved() == 1


def test_activity_edited_on_the_staff_page(login_as, personas, goal, primed, write):
    activity = ActivityFactory(commitment=goal, quantity=1, created_by=personas["police"])
    client = login_as(personas["police"])
    assert primed(achieved) == 0
    with write():
        response = client.post(
            reverse("staff:edit_activity", args=[activity.pk]), activity_data(goal, 2)
        )
    assert response.status_code == 302
    assert achieved() == 1


def test_activity_undone_on_the_staff_page(login_as, personas, goal, primed, write):
    activity = ActivityFactory(commitment=goal, quantity=2, created_by=personas["police"])
    client = login_as(personas["police"])
    assert primed(achieved) == 1
    with write():
        response = client.post(reverse("staff:undo_activity", args=[activity.pk]))
    assert response.status_code == 302
    assert achieved() == 0


def test_activities_imported(login_as, personas, goal, primed, write):
    client = login_as(personas["police"])
    today = timezone.localdate().isoformat()
    text = f"datum;åtagande;antal\n{today};{goal.pk};1\n{today};{goal.pk};1\n"
    assert primed(achieved) == 0
    with write():
        response = client.post(reverse("staff:import"), {"data": text, "confirm": "1"})
    assert response.status_code == 302
    assert achieved() == 1


@pytest.fixture
def walk(world, goal):
    return SafetyWalkFactory(
        municipality=world.kungalv,
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


def test_pledge_archived_by_the_admin_action(login_as, personas, world, primed, write):
    client = login_as(personas["superuser"])
    assert primed(municipalities) == 2
    with write():
        response = client.post(
            reverse("admin:pledges_pledge_changelist"),
            {"action": "archive_selected", "_selected_action": [world.ours["pledge"].pk]},
        )
    assert response.status_code == 302
    assert Pledge.objects.get(pk=world.ours["pledge"].pk).archived_at is not None
    assert municipalities() == 1


def test_pledge_restored(personas, world, primed, write):
    pledge = world.ours["pledge"]
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
    with write():
        Activity.objects.filter(commitment=goal).update(quantity=2)
    assert primed(achieved) == 1
    with write():
        Activity.objects.filter(commitment=goal).delete()
    assert primed(achieved) == 0
    with write():
        Activity.objects.bulk_create([Activity(commitment=goal, quantity=2)])
    assert achieved() == 1
