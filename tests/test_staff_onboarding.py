"""'Ny personal': a staff account with role, scope and a set-password link in one step."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from pledges.groups import (
    COORDINATOR_GROUP,
    NATIONAL_ADMIN_GROUP,
    POLICE_GROUP,
    ensure_staff_groups,
)
from pledges.models import Membership
from pledges.services import remove_membership
from tests.factories import MembershipFactory, PoliceAreaFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

URL = "/admin/pledges/membership/ny-personal/"
User = get_user_model()


def _new_police(area, email="kim.polis@polisen.se"):
    return {
        "first_name": "Kim",
        "last_name": "Polis",
        "email": email,
        "role": "kommunpolis",
        "police_area": area.pk,
    }


def test_url_is_the_named_new_staff_page():
    assert reverse("admin:pledges_membership_new_staff") == URL


def test_national_admin_creates_a_kommunpolis_in_one_step(login_as, staff_world, personas):
    area = PoliceAreaFactory(name="Södertälje", slug="sodertalje")
    client = login_as(personas["superuser"])
    page = client.get(URL)
    assert page.status_code == 200
    assert "Ny personal" in page.text
    response = client.post(URL, _new_police(area))
    assert response.status_code == 302

    user = User.objects.get(email="kim.polis@polisen.se")
    assert user.username == "kim.polis@polisen.se"
    assert user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [POLICE_GROUP]
    assert Membership.objects.get(user=user).police_area == area

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kim.polis@polisen.se"]
    assert message.subject == "Ditt konto i Medborgarlöfte"
    assert "Välj ditt lösenord här" in message.body
    link = re.search(r"http://testserver(/konto/losenord/\S+/)", message.body).group(1)

    # The link sets a password once, signs the user in and leads to two-factor enrolment.
    anonymous = client.__class__()
    form = anonymous.get(link, follow=True)
    assert form.status_code == 200
    assert "Välj lösenord" in form.text
    mismatch = anonymous.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ett-langt-losenord-2026", "new_password2": "ett-annat-losenord"},
    )
    assert mismatch.status_code == 400
    assert "De två lösenordsfälten" in mismatch.text
    done = anonymous.post(
        form.redirect_chain[-1][0],
        {"new_password1": "ett-langt-losenord-2026", "new_password2": "ett-langt-losenord-2026"},
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:enrol")
    user.refresh_from_db()
    assert user.check_password("ett-langt-losenord-2026")
    again = client.__class__().get(link, follow=True)
    assert "Länken fungerar inte längre" in again.text


def test_members_of_the_national_group_may_add_staff(login_as, staff_world):
    national = UserFactory(username="nationell.grupp")
    national.groups.add(ensure_staff_groups()[NATIONAL_ADMIN_GROUP])
    client = login_as(national)
    assert client.get(URL).status_code == 200
    assert client.post(URL, _new_police(staff_world.police_area)).status_code == 302
    assert Membership.objects.filter(user__email="kim.polis@polisen.se").exists()


def test_a_coordinator_adds_a_coordinator_in_their_own_kommun_only(login_as, staff_world, personas):
    client = login_as(personas["coordinator"])
    page = client.get(URL)
    assert page.status_code == 200
    assert "Kommunpolis i ett lokalpolisområde" not in page.text
    assert "Trollhättan" in page.text and "Kungälv" not in page.text

    other_kommun = client.post(
        URL,
        {
            "first_name": "Sam",
            "last_name": "Ordnare",
            "email": "sam@kungalv.se",
            "role": "samordnare",
            "municipality": staff_world.kungalv.pk,
        },
    )
    assert other_kommun.status_code == 400
    police = client.post(URL, _new_police(staff_world.police_area))
    assert police.status_code == 400
    assert not User.objects.filter(email__in=["sam@kungalv.se", "kim.polis@polisen.se"]).exists()

    ok = client.post(
        URL,
        {
            "first_name": "Sam",
            "last_name": "Ordnare",
            "email": "sam@trollhattan.se",
            "role": "samordnare",
            "municipality": staff_world.trollhattan.pk,
        },
    )
    assert ok.status_code == 302
    user = User.objects.get(email="sam@trollhattan.se")
    assert list(user.groups.values_list("name", flat=True)) == [COORDINATOR_GROUP]
    assert user.memberships.get().municipality == staff_world.trollhattan


def test_kommunpolis_may_not_add_staff(login_as, staff_world, personas):
    assert login_as(personas["police"]).get(URL).status_code == 403


def test_bad_input_is_a_swedish_400_and_creates_nothing(login_as, staff_world, personas):
    client = login_as(personas["superuser"])
    missing_area = client.post(URL, {**_new_police(staff_world.police_area), "police_area": ""})
    assert missing_area.status_code == 400
    assert "Välj vilket lokalpolisområde" in missing_area.text
    taken = client.post(
        URL, _new_police(staff_world.police_area, email=personas["police"].email.upper())
    )
    assert taken.status_code == 400
    assert "Det finns redan ett konto" in taken.text
    assert mail.outbox == []


def test_removing_the_last_membership_removes_staff_status(staff_world, personas):
    police = personas["police"]
    second = MembershipFactory(user=police, municipality=staff_world.kungalv)
    remove_membership(membership=second)
    police.refresh_from_db()
    assert police.is_staff
    remove_membership(membership=police.memberships.get())
    police.refresh_from_db()
    assert not police.is_staff


def test_deleting_a_membership_in_the_admin_removes_staff_status(login_as, staff_world, personas):
    police = personas["police"]
    membership = police.memberships.get()
    client = login_as(personas["superuser"])
    response = client.post(
        reverse("admin:pledges_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert not police.is_staff
