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
def kommuner():
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    lpo = PoliceAreaFactory(name="Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv, ale])
    return kungalv, ale, trollhattan, lpo


def test_lpo_member_works_on_the_lpos_kommuner(kommuner):
    kungalv, ale, trollhattan, lpo = kommuner
    user = MembershipFactory(police_area=lpo).user
    assert set(municipalities_for(user)) == {kungalv, ale}


def test_coordinator_works_on_their_kommun(kommuner):
    kungalv, ale, trollhattan, lpo = kommuner
    user = MembershipFactory(municipality=trollhattan).user
    assert list(municipalities_for(user)) == [trollhattan]


def test_staff_without_membership_sees_nothing(kommuner):
    assert not municipalities_for(UserFactory()).exists()


def test_superuser_sees_all(kommuner):
    assert (
        municipalities_for(UserFactory(is_superuser=True)).count() == Municipality.objects.count()
    )


def test_non_staff_member_sees_nothing(kommuner):
    kungalv, ale, trollhattan, lpo = kommuner
    user = MembershipFactory(police_area=lpo, user=UserFactory(is_staff=False)).user
    assert not municipalities_for(user).exists()


def test_scope_queryset_and_in_scope_follow_a_path(kommuner):
    kungalv, ale, trollhattan, lpo = kommuner
    ours = CommitmentFactory(pledge=PledgeFactory(municipality=kungalv, police_area=lpo))
    theirs = CommitmentFactory(pledge=PledgeFactory(municipality=trollhattan))
    user = MembershipFactory(police_area=lpo).user
    scoped = scope_queryset(Commitment.objects.all(), user, "pledge__municipality")
    assert list(scoped) == [ours]
    assert in_scope(ours, user, "pledge__municipality")
    assert not in_scope(theirs, user, "pledge__municipality")
    assert list(scope_queryset(Pledge.objects.all(), user, "municipality")) == [ours.pledge]
