import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from demo.accounts import create_demo_accounts
from pledges.groups import COORDINATOR_GROUP, POLICE_GROUP
from pledges.models import Membership, PoliceArea
from pledges.scoping import municipalities_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        create_demo_accounts()
    assert not get_user_model().objects.filter(username="admin").exists()


def test_creates_the_four_accounts_idempotently(settings):
    settings.DEBUG = True
    out = io.StringIO()
    create_demo_accounts(stdout=out)
    users = create_demo_accounts()
    assert set(users) == {
        "admin",
        "polis.kungalv-ale",
        "samordnare.kungalv",
        "samordnare.trollhattan",
    }
    assert get_user_model().objects.count() == 4
    assert Membership.objects.count() == 3
    assert users["admin"].is_superuser
    area = PoliceArea.objects.get(slug="kungalv-ale")
    assert area.name == "Kungälv/Ale"
    assert {m.name for m in area.municipalities.all()} == {"Kungälv", "Ale"}
    police = users["polis.kungalv-ale"]
    assert police.groups.filter(name=POLICE_GROUP).exists()
    assert {m.slug for m in municipalities_for(police)} == {"kungalv", "ale"}
    coordinator = users["samordnare.trollhattan"]
    assert coordinator.groups.filter(name=COORDINATOR_GROUP).exists()
    assert [m.slug for m in municipalities_for(coordinator)] == ["trollhattan"]
    assert police.has_perm("pledges.add_activity")
    assert not police.has_perm("pledges.change_municipality")
    for username in users:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert user.is_staff and user.is_active
    assert "polis.kungalv-ale" in out.getvalue()
