"""Personas and a small world of two areas, shared by the admin and staff tests.

Import the fixtures into a test module with ``from tests.staff_fixtures import *``.
"""

import datetime

import pytest
from django.utils import timezone

from pledges.groups import COORDINATOR_GROUP, POLICE_GROUP, ensure_staff_groups
from pledges.models import FollowUp, FollowUpNote, PledgeExtension
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FocusAreaFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)

__all__ = ["world", "personas", "login_as", "fast_password_hashing"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs about a second per user on a shared CI core.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    pass


def _area_objects(pledge, suffix):
    """One object of every scoped model under `pledge`."""
    objects = {"pledge": pledge}
    objects["focusarea"] = FocusAreaFactory(pledge=pledge, title=f"Fokus {suffix}")
    objects["commitment"] = CommitmentFactory(
        pledge=pledge, focus_area=objects["focusarea"], text=f"Åtagande {suffix}"
    )
    objects["activity"] = ActivityFactory(commitment=objects["commitment"], place=f"Plats {suffix}")
    objects["signatory"] = pledge.signatories.create(name=f"Undertecknare {suffix}")
    objects["contact"] = pledge.contacts.create(name=f"Kontakt {suffix}", role="kommunpolis")
    objects["pledgeextension"] = PledgeExtension.objects.create(
        pledge=pledge,
        previous_end_date=pledge.end_date - datetime.timedelta(days=30),
        new_end_date=pledge.end_date,
        reason=f"Förlängning {suffix}",
    )
    objects["followup"] = FollowUp.objects.create(
        pledge=pledge, date=timezone.localdate(), title=f"Uppföljning {suffix}"
    )
    objects["followupnote"] = FollowUpNote.objects.create(
        follow_up=objects["followup"], commitment=objects["commitment"], note=f"Not {suffix}"
    )
    return objects


@pytest.fixture
def world(db):
    w = World()
    w.kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    w.ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    w.trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    w.lpo = PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[w.kungalv, w.ale]
    )
    w.lpo_east = PoliceAreaFactory(
        name="Östra Fyrbodal", slug="ostra-fyrbodal", municipalities=[w.trollhattan]
    )
    w.ours = _area_objects(
        PledgeFactory(municipality=w.kungalv, police_area=w.lpo, title="Tryggare Kungälv"),
        "Kungälv",
    )
    w.theirs = _area_objects(
        PledgeFactory(
            municipality=w.trollhattan, police_area=w.lpo_east, title="Tryggare Trollhättan"
        ),
        "Trollhättan",
    )
    w.ours["municipality"] = w.kungalv
    w.theirs["municipality"] = w.trollhattan
    w.ours["policearea"] = w.lpo
    w.theirs["policearea"] = w.lpo_east
    return w


@pytest.fixture
def personas(world):
    groups = ensure_staff_groups()
    police = UserFactory(username="polis.kungalv-ale")
    police.groups.add(groups[POLICE_GROUP])
    MembershipFactory(user=police, police_area=world.lpo)
    coordinator = UserFactory(username="samordnare.trollhattan")
    coordinator.groups.add(groups[COORDINATOR_GROUP])
    MembershipFactory(user=coordinator, municipality=world.trollhattan)
    nomember = UserFactory(username="personal.utan.omrade")
    nomember.groups.add(groups[POLICE_GROUP])
    superuser = UserFactory(username="nationell", is_superuser=True)
    return {
        "police": police,
        "coordinator": coordinator,
        "nomember": nomember,
        "superuser": superuser,
    }


@pytest.fixture
def login_as(client):
    def login(user):
        # UserFactory sets the password after saving; the session hash must match the
        # stored one, so log in the user as stored.
        user.refresh_from_db()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login
