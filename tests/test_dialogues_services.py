"""Services of the dialogues app: walk → activity, reference numbers, personal data purge,
example data."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from demo.dialogues import load_demo_dialogues
from dialogues import services
from dialogues.models import (
    Feedback,
    Finding,
    FormAttempt,
    SafetyWalk,
    WalkSignup,
)
from pledges.models import Activity
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FeedbackFactory,
    FindingFactory,
    MunicipalityFactory,
    PledgeFactory,
    SafetyWalkFactory,
    UserFactory,
    WalkSignupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk_commitment():
    pledge = PledgeFactory()
    commitment = CommitmentFactory(
        pledge=pledge,
        text="Två trygghetsvandringar ska genomföras i området.",
        target_quantity=2,
        target_unit="trygghetsvandringar",
    )
    return commitment


def test_held_walk_counts_once_on_its_commitment(walk_commitment):
    user = UserFactory()
    walk = SafetyWalkFactory(
        municipality=walk_commitment.pledge.municipality,
        commitment=walk_commitment,
        starts_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert walk_commitment.progress().achieved == 0
    services.record_walk_held(walk=walk, user=user, participants=12)
    services.record_walk_held(walk=walk, user=user)  # twice: still once
    walk.refresh_from_db()
    assert walk.status == SafetyWalk.Status.HELD
    assert walk.participants == 12
    activity = Activity.objects.get()
    assert walk.activity == activity
    assert activity.commitment == walk_commitment
    assert activity.quantity == 1
    assert activity.created_by == user
    assert activity.date == timezone.localdate(walk.starts_at)
    assert walk_commitment.progress().achieved == 1


def test_cancelling_a_held_walk_removes_its_activity(walk_commitment):
    walk = SafetyWalkFactory(
        municipality=walk_commitment.pledge.municipality, commitment=walk_commitment
    )
    services.record_walk_held(walk=walk)
    assert Activity.objects.count() == 1
    services.cancel_walk(walk=walk)
    walk.refresh_from_db()
    assert walk.status == SafetyWalk.Status.CANCELLED
    assert walk.activity is None
    assert not Activity.objects.exists()
    assert walk_commitment.progress().achieved == 0


def test_walk_without_commitment_counts_nothing():
    walk = SafetyWalkFactory()
    services.record_walk_held(walk=walk)
    assert not Activity.objects.exists()


def test_changing_the_commitment_moves_the_activity(walk_commitment):
    other = CommitmentFactory(pledge=walk_commitment.pledge)
    walk = SafetyWalkFactory(
        municipality=walk_commitment.pledge.municipality, commitment=walk_commitment
    )
    services.record_walk_held(walk=walk)
    SafetyWalk.objects.filter(pk=walk.pk).update(commitment=other)
    services.sync_walk_activity(walk=walk)
    assert Activity.objects.get().commitment == other
    SafetyWalk.objects.filter(pk=walk.pk).update(commitment=None)
    services.sync_walk_activity(walk=walk)
    assert not Activity.objects.exists()


def test_two_walks_fulfil_two_walks(walk_commitment):
    for _ in range(2):
        walk = SafetyWalkFactory(
            municipality=walk_commitment.pledge.municipality, commitment=walk_commitment
        )
        services.record_walk_held(walk=walk)
    assert walk_commitment.progress().achieved == 2
    assert walk_commitment.progress().state == "achieved"


def test_reference_numbers_restart_each_year():
    assert services.next_reference(2025) == "SYN-2025-0001"
    assert services.next_reference(2025) == "SYN-2025-0002"
    assert services.next_reference(2026) == "SYN-2026-0001"


def test_reference_is_unique_in_the_database():
    FeedbackFactory(reference="SYN-2026-0001")
    with pytest.raises(IntegrityError):
        FeedbackFactory(reference="SYN-2026-0001")


def test_declined_finding_needs_a_reason():
    with pytest.raises(IntegrityError):
        FindingFactory(status=Finding.Status.DECLINED, declined_reason="")


def test_published_feedback_needs_public_text():
    with pytest.raises(IntegrityError):
        FeedbackFactory(is_published=True, public_text="")


# --- purge_personal_data ----------------------------------------------------------------


def _age(obj, days):
    type(obj).objects.filter(pk=obj.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )


@pytest.fixture
def personal_data():
    short = MunicipalityFactory(personal_data_retention_months=1)
    normal = MunicipalityFactory()  # 12 months
    old_short = FeedbackFactory(
        municipality=short, name="A", email="a@example.se", consent=True, ip_hash="h" * 64
    )
    _age(old_short, 40)
    new_short = FeedbackFactory(municipality=short, name="B", consent=True, ip_hash="h" * 64)
    _age(new_short, 10)
    mid_normal = FeedbackFactory(municipality=normal, name="C", consent=True, ip_hash="h" * 64)
    _age(mid_normal, 40)
    old_normal = FeedbackFactory(municipality=normal, phone="070", consent=True)
    _age(old_normal, 400)
    old_walk = SafetyWalkFactory(
        municipality=normal, starts_at=timezone.now() - datetime.timedelta(days=390)
    )
    old_signup = WalkSignupFactory(walk=old_walk, phone="070-1")
    _age(old_signup, 400)
    new_signup = WalkSignupFactory(walk=SafetyWalkFactory(municipality=normal))
    FormAttempt.objects.create(
        action="synpunkt", ip_hash="x", created_at=timezone.now() - datetime.timedelta(days=2)
    )
    return {
        "purged": [old_short, old_normal],
        "kept": [new_short, mid_normal],
        "signup_purged": old_signup,
        "signup_kept": new_signup,
    }


def test_purge_dry_run_reports_and_changes_nothing(personal_data):
    out = io.StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "Would erase personal data in 2 synpunkter and 1 walk sign-ups" in out.getvalue()
    assert Feedback.objects.get(pk=personal_data["purged"][0].pk).email == "a@example.se"
    assert FormAttempt.objects.count() == 1


def test_purge_blanks_personal_data_past_each_kommuns_retention(personal_data):
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "Erased personal data in 2 synpunkter and 1 walk sign-ups" in out.getvalue()
    for feedback in personal_data["purged"]:
        feedback.refresh_from_db()
        assert (feedback.name, feedback.email, feedback.phone, feedback.ip_hash) == ("",) * 4
        assert feedback.personal_data_purged_at is not None
        assert feedback.text  # the synpunkt itself is kept
    for feedback in personal_data["kept"]:
        feedback.refresh_from_db()
        assert feedback.name and feedback.ip_hash
    signup = WalkSignup.objects.get(pk=personal_data["signup_purged"].pk)
    assert (signup.name, signup.email, signup.phone) == ("", "", "")
    assert WalkSignup.objects.get(pk=personal_data["signup_kept"].pk).email
    assert not FormAttempt.objects.exists()
    # Run again: nothing left to erase.
    out = io.StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "in 0 synpunkter and 0 walk sign-ups" in out.getvalue()


def test_history_tables_hold_no_personal_fields():
    history_fields = {f.name for f in Feedback.history.model._meta.get_fields()}
    assert not history_fields & {"name", "email", "phone", "ip_hash"}
    assert "text" in history_fields and "status" in history_fields
    assert not hasattr(WalkSignup, "history")


def test_purge_command_has_help():
    from alerts.management.commands.purge_personal_data import Command

    assert "retention" in Command.help
    parser = Command().create_parser("manage.py", "purge_personal_data")
    assert "--dry-run" in parser.format_help()


# --- Example data -----------------------------------------------------------------------


def kungalv_walk_commitment(kungalv):
    pledge = PledgeFactory(
        municipality=kungalv,
        start_date=datetime.date(2018, 10, 1),
        end_date=datetime.date(2019, 9, 30),
    )
    return CommitmentFactory(
        pledge=pledge,
        text="Två trygghetsvandringar ska genomföras i området.",
        target_quantity=2,
    )


def test_demo_walks_move_the_kungalv_commitment_and_are_idempotent():
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    commitment = kungalv_walk_commitment(kungalv)
    # The pledges demo already logs the first walk as an example activity: reuse it.
    logged = ActivityFactory(
        commitment=commitment, date=datetime.date(2018, 11, 7), description="Exempel: vandring"
    )
    load_demo_dialogues(stdout=io.StringIO())
    load_demo_dialogues()
    walks = SafetyWalk.objects.all()
    assert walks.count() == 4
    assert all(w.is_example for w in walks)
    held = walks.filter(status=SafetyWalk.Status.HELD)
    assert held.count() == 2
    assert Finding.objects.count() == 7
    assert commitment.progress().achieved == 2
    assert Activity.objects.count() == 2
    assert SafetyWalk.objects.get(activity=logged).area == "Nordmannatorget"
    assert walks.filter(status=SafetyWalk.Status.PLANNED).count() == 2


def test_demo_without_municipalities_or_commitment_is_graceful():
    load_demo_dialogues()
    assert not SafetyWalk.objects.exists()
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    load_demo_dialogues(stdout=io.StringIO())
    assert SafetyWalk.objects.count() == 3
    assert not Activity.objects.exists()
    # The löfte arrives later: a second run links the held walks and counts them.
    commitment = kungalv_walk_commitment(kungalv)
    load_demo_dialogues()
    assert SafetyWalk.objects.filter(commitment=commitment).count() == 2
    assert commitment.progress().achieved == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_references_are_distinct():
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the row lock matters on PostgreSQL")

    def take(_):
        try:
            return services.next_reference(2030)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        references = list(pool.map(take, range(12)))
    assert len(set(references)) == 12
    assert max(references) == "SYN-2030-0012"
