import pytest

from pledges.models import Commitment, Municipality, Pledge
from pledges.scoping import in_scope, municipalities_for, scope_queryset
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipalities():
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    police_area = PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv, ale]
    )
    return kungalv, ale, trollhattan, police_area


def test_police_area_member_works_on_its_municipalities(municipalities):
    kungalv, ale, trollhattan, police_area = municipalities
    user = MembershipFactory(police_area=police_area).user
    assert set(municipalities_for(user)) == {kungalv, ale}


def test_coordinator_works_on_their_municipality(municipalities):
    kungalv, ale, trollhattan, police_area = municipalities
    user = MembershipFactory(municipality=trollhattan).user
    assert list(municipalities_for(user)) == [trollhattan]


def test_staff_without_membership_sees_nothing(municipalities):
    assert not municipalities_for(UserFactory()).exists()


def test_superuser_sees_all(municipalities):
    assert (
        municipalities_for(UserFactory(is_superuser=True)).count() == Municipality.objects.count()
    )


def test_non_staff_member_sees_nothing(municipalities):
    kungalv, ale, trollhattan, police_area = municipalities
    user = MembershipFactory(police_area=police_area, user=UserFactory(is_staff=False)).user
    assert not municipalities_for(user).exists()


def test_scope_queryset_and_in_scope_follow_a_path(municipalities):
    kungalv, ale, trollhattan, police_area = municipalities
    ours = CommitmentFactory(pledge=PledgeFactory(municipality=kungalv, police_area=police_area))
    theirs = CommitmentFactory(pledge=PledgeFactory(municipality=trollhattan))
    user = MembershipFactory(police_area=police_area).user
    scoped = scope_queryset(Commitment.objects.all(), user, "pledge__municipality")
    assert list(scoped) == [ours]
    assert in_scope(ours, user, "pledge__municipality")
    assert not in_scope(theirs, user, "pledge__municipality")
    assert list(scope_queryset(Pledge.objects.all(), user, "municipality")) == [ours.pledge]
