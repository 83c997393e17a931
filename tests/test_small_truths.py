"""Small things the pages said that were not quite true (issue 26, item 11)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dialogues import services as dialogue_services
from dialogues.models import Finding
from pledges.models import Commitment, Pledge
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FindingFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    SafetyWalkFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kungalv():
    return MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")


def test_a_list_row_puts_the_unit_in_the_singular_for_one(client, kungalv):
    pledge = PledgeFactory(municipality=kungalv)
    CommitmentFactory(
        pledge=pledge,
        text="En trygghetsvandring i centrum.",
        target_quantity=1,
        target_unit="trygghetsvandringar",
        target_unit_singular="",
    )
    text = client.get(pledge.get_absolute_url()).text
    assert '0 av minst 1 <span lang="sv">trygghetsvandring</span>' in text
    assert '1 <span lang="sv">trygghetsvandringar' not in text


def test_units_without_a_singular_form():
    commitment = Commitment(target_unit="fotpatrulleringar")
    assert commitment.unit_for(1) == "fotpatrullering"
    assert commitment.unit_for(2) == "fotpatrulleringar"
    assert Commitment(target_unit="möten").unit_for(1) == "möten"  # no guessing


def test_activity_lists_name_the_unit_instead_of_occasions(client, kungalv):
    pledge = PledgeFactory(municipality=kungalv)
    commitment = CommitmentFactory(pledge=pledge, target_unit="trafikkontroller")
    ActivityFactory(commitment=commitment, quantity=4)
    text = client.get(commitment.get_absolute_url()).text
    assert '4 <span lang="sv">trafikkontroller</span>' in text
    assert "4 tillfällen" not in text


def _held_walk_with_one_finding_of_each_status(kungalv):
    walk = SafetyWalkFactory(
        municipality=kungalv, starts_at=timezone.now() - datetime.timedelta(days=5)
    )
    dialogue_services.record_walk_held(walk=walk, participants=5)
    FindingFactory(walk=walk, status=Finding.Status.FIXED)
    FindingFactory(walk=walk, status=Finding.Status.OPEN)
    FindingFactory(walk=walk, status=Finding.Status.DECLINED, declined_reason="Privat mark")
    return walk


def test_finding_counts_add_up_and_agree_in_number(client, kungalv):
    walk = _held_walk_with_one_finding_of_each_status(kungalv)
    PledgeFactory(municipality=kungalv)
    expected = "1 av 3 iakttagelser åtgärdade, 1 öppen, 1 avböjd."
    for url in (
        walk.get_absolute_url(),
        "/kommun/kungalv/trygghetsvandringar/",
        "/kommun/kungalv/",
    ):
        text = " ".join(client.get(url).text.split())
        assert expected in text, url
        assert "1 öppna" not in text, url


def test_a_draft_loefte_offers_no_closing_extending_or_next(login_as, staff_world, personas):
    pledge = staff_world.ours["pledge"]
    client = login_as(personas["superuser"])
    url = reverse("admin:pledges_pledge_change", args=[pledge.pk])
    tools = [
        reverse(f"admin:pledges_pledge_{name}", args=[pledge.pk])
        for name in ("extend", "close", "next")
    ]
    published = client.get(url).text
    assert all(tool in published for tool in tools)
    Pledge.objects.filter(pk=pledge.pk).update(status=Pledge.Status.DRAFT, published_at=None)
    draft = client.get(url).text
    assert not any(tool in draft for tool in tools)
    assert reverse("admin:pledges_pledge_publish", args=[pledge.pk]) in draft


def test_police_area_titles_do_not_double_the_word(client, kungalv):
    area = PoliceAreaFactory(
        name="Lokalpolisområde Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv]
    )
    PledgeFactory(municipality=kungalv, police_area=area)
    text = client.get(area.get_absolute_url()).text
    assert "Lokalpolisområde Lokalpolisområde" not in text
    assert "lokalpolisområde Lokalpolisområde" not in text
    assert "<title>Lokalpolisområde Kungälv/Ale" in text
    assert area.short_name == "Kungälv/Ale"
    assert PoliceAreaFactory(name="Södertälje", slug="sodertalje").short_name == "Södertälje"


def test_a_single_commitment_to_log_on_comes_chosen(login_as, staff_world, personas):
    response = login_as(personas["police"]).get("/personal/registrera/")
    commitment = staff_world.ours["commitment"]
    assert f'<option value="{commitment.pk}" selected>' in response.text


def test_a_coordinator_with_one_kommun_has_it_chosen(login_as, staff_world, personas):
    response = login_as(personas["coordinator"]).get("/admin/pledges/membership/ny-personal/")
    kommun = staff_world.trollhattan
    assert f'<option value="{kommun.pk}" selected>' in response.text


def test_the_end_date_help_names_the_real_tool(login_as, staff_world, personas):
    pledge = staff_world.ours["pledge"]
    text = (
        login_as(personas["superuser"])
        .get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
        .text
    )
    assert "åtgärden i listan" not in text
    assert "”Förläng perioden” överst på sidan" in text
