"""Words on staff and public pages: follow-up notes, the note picker, units."""

import pytest
from django.urls import reverse

from pledges.models import Commitment
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    FollowUpFactory,
    FollowUpNoteFactory,
    PledgeFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

LONG = (
    "Polisen genomför regelbundna trafikkontroller vid samtliga grundskolor i kommunen "
    "under terminerna. Resultatet redovisas i uppföljningen."
)


def test_follow_up_notes_use_the_short_label_and_a_clean_separator(client, staff_world):
    commitment = CommitmentFactory(pledge=staff_world.ours["pledge"], text=LONG)
    note = FollowUpNoteFactory(
        follow_up=FollowUpFactory(pledge=commitment.pledge),
        commitment=commitment,
        note="Kontrollerna har genomförts enligt plan.",
    )
    text = client.get(commitment.pledge.get_absolute_url()).text
    assert f">{commitment.short_label}</a><p>{note.note}</p>" in text
    assert commitment.short_label.endswith("…")
    assert ".:" not in text and "…:" not in text


def test_note_picker_offers_only_the_follow_ups_loefte(login_as, staff_world, personas):
    follow_up = staff_world.ours["followup"]
    other_pledge = PledgeFactory(
        municipality=staff_world.kungalv, police_area=staff_world.police_area
    )
    CommitmentFactory(pledge=other_pledge, text="Ett annat löftes åtagande.")
    client = login_as(personas["police"])
    response = client.get(reverse("admin:pledges_followup_change", args=[follow_up.pk]))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    field = formset.forms[0].fields["commitment"]
    assert set(field.queryset) == set(Commitment.objects.filter(pledge=follow_up.pledge))
    assert "Ett annat löftes åtagande." not in response.text


def test_units_have_singular_and_plural_on_the_commitment_page(client, staff_world):
    commitment = CommitmentFactory(
        pledge=staff_world.ours["pledge"],
        target_kind=Commitment.TargetKind.COUNT,
        target_quantity=1,
        target_unit="trafikkontroller",
        target_unit_singular="trafikkontroll",
    )
    ActivityFactory(commitment=commitment, quantity=1)
    text = client.get(commitment.get_absolute_url()).text
    assert '1 av minst 1 <span lang="sv">trafikkontroll</span>' in text
    commitment.target_quantity = 7
    commitment.save()
    text = client.get(commitment.get_absolute_url()).text
    assert '1 av minst 7 <span lang="sv">trafikkontroller</span>' in text
