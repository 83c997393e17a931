"""History: who changed what in the admin, and "Ändringar i löftet" for the public."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from pledges.history import public_changes
from pledges.models import Commitment
from pledges.services import extend_pledge
from tests.factories import CommitmentFactory, PledgeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def _commitment_form(commitment, client, **changes):
    page = client.get(reverse("admin:pledges_commitment_change", args=[commitment.pk]))
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            value = ""
        if isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        elif hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = value
    data.update(
        {
            "activities-TOTAL_FORMS": 0,
            "activities-INITIAL_FORMS": 0,
            "activities-MIN_NUM_FORMS": 0,
            "activities-MAX_NUM_FORMS": 1000,
        }
    )
    data.update(changes)
    return data


def test_lowering_a_target_in_the_admin_shows_under_andringar(login_as, staff_world, personas):
    client = login_as(personas["police"])
    commitment = staff_world.ours["commitment"]
    data = _commitment_form(commitment, client, target_quantity=10)
    response = client.post(reverse("admin:pledges_commitment_change", args=[commitment.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    commitment.refresh_from_db()
    assert commitment.target_quantity == 10

    changes = public_changes(staff_world.ours["pledge"])
    assert [c.kind for c in changes] == ["target_lowered", "extended"]
    lowered = changes[0]
    assert lowered.organisation == "Kungälv/Ale"
    assert "polis.kungalv-ale" not in lowered.text
    assert "från minst 20 trafikkontroller till minst 10 trafikkontroller" in lowered.text

    html = render_to_string("includes/pledge_changes.html", {"changes": changes})
    assert "Ändringar i löftet" in html
    assert "Målet sänktes" in html
    assert "Sänkt mål" in html
    assert "Kungälv/Ale" in html
    assert "polis.kungalv-ale" not in html

    history = client.get(reverse("admin:pledges_commitment_history", args=[commitment.pk]))
    assert history.status_code == 200
    assert "polis.kungalv-ale" in history.text


def test_raised_recurring_target_and_removed_commitment(staff_world, personas):
    pledge = staff_world.ours["pledge"]
    commitment = CommitmentFactory(
        pledge=pledge,
        target_kind=Commitment.TargetKind.RECURRING,
        target_quantity=1,
        interval=Commitment.Interval.MONTH,
        target_unit="mobila kontor",
    )
    commitment.interval = Commitment.Interval.WEEK
    commitment.save()
    commitment.delete()
    kinds = [c.kind for c in public_changes(pledge)]
    assert "target_raised" in kinds
    assert "removed" in kinds


def test_changes_while_a_draft_are_not_listed(staff_world):
    pledge = PledgeFactory(municipality=staff_world.kungalv, status="draft", published_at=None)
    commitment = CommitmentFactory(pledge=pledge, target_quantity=200)
    commitment.target_quantity = 100
    commitment.save()
    assert public_changes(pledge) == []


def test_extension_is_listed_with_the_organisation(staff_world, personas):
    pledge = staff_world.theirs["pledge"]
    new_end = pledge.end_date + datetime.timedelta(days=365)
    extend_pledge(
        pledge=pledge,
        new_end_date=new_end,
        reason="Beslut i styrgruppen.",
        user=personas["coordinator"],
    )
    latest = public_changes(pledge)[0]
    assert latest.kind == "extended"
    assert latest.organisation == "Trollhättan"
    assert "Beslut i styrgruppen." in latest.text


@pytest.mark.parametrize("size", [0, 2, 30])
def test_public_changes_uses_a_fixed_number_of_queries(
    staff_world, personas, size, django_assert_num_queries
):
    pledge = staff_world.ours["pledge"]
    for n in range(size):
        commitment = CommitmentFactory(pledge=pledge, target_quantity=100 + n)
        commitment.target_quantity = 50
        commitment._history_user = personas["police"]
        commitment.save()
    # History, organisations, extensions, decisions.
    with django_assert_num_queries(4):
        changes = public_changes(pledge)
    assert sum(1 for c in changes if c.kind == "target_lowered") == size


def test_empty_history_says_unchanged():
    html = render_to_string("includes/pledge_changes.html", {"changes": []})
    assert "inte ändrats" in html


def test_public_changes_of_an_empty_pledge_runs_the_same_queries(
    staff_world, django_assert_num_queries
):
    pledge = PledgeFactory(municipality=staff_world.ale)
    with django_assert_num_queries(4):
        assert public_changes(pledge) == []


def test_public_changes_reuses_extensions_the_page_has(staff_world, django_assert_num_queries):
    pledge = staff_world.ours["pledge"]
    extensions = list(pledge.extensions.all())
    decisions = list(pledge.decisions.all())
    with django_assert_num_queries(2):
        changes = public_changes(pledge, extensions=extensions, decisions=decisions)
    assert [c.kind for c in changes] == ["extended"]


def test_a_target_change_carries_its_decisions_date_and_body(login_as, staff_world, personas):
    pledge = staff_world.ours["pledge"]
    commitment = staff_world.ours["commitment"]
    client = login_as(personas["police"])
    data = _commitment_form(
        commitment,
        client,
        target_quantity=10,
        decided_on="2018-11-20",
        decided_by="Kommunstyrelsen",
    )
    url = reverse("admin:pledges_commitment_change", args=[commitment.pk])
    assert client.post(url, data).status_code == 302
    (change,) = [c for c in public_changes(pledge) if c.kind == "target_lowered"]
    assert change.date == datetime.date(2018, 11, 20)
    assert change.decided_by == "Kommunstyrelsen"


def test_decision_reason_round_trip():
    from pledges.history import decision_reason, parse_decision_reason

    reason = decision_reason(datetime.date(2018, 11, 20), "Kommunstyrelsen")
    assert reason == "2018-11-20|Kommunstyrelsen"
    assert parse_decision_reason(reason) == (datetime.date(2018, 11, 20), "Kommunstyrelsen")
    assert parse_decision_reason(None) == (None, "")
    assert parse_decision_reason("Importerad") == (None, "")
    assert decision_reason(None, "") == ""


def test_the_admin_history_shows_values_in_words(login_as, staff_world, personas):
    from pledges.models import Pledge

    pledge = PledgeFactory(
        municipality=staff_world.kungalv,
        police_area=staff_world.police_area,
        status=Pledge.Status.DRAFT,
        published_at=None,
    )
    pledge.status = Pledge.Status.PUBLISHED
    pledge.published_at = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    pledge.save()
    text = (
        login_as(personas["superuser"])
        .get(reverse("admin:pledges_pledge_history", args=[pledge.pk]))
        .text
    )
    changes = text.split('id="change-history"')[1]
    assert "Utkast" in changes and "Publicerat" in changes
    assert "2 mars 2026 10:30" in changes  # local time, in words
    for raw in ("draft", "published", "None", "2026-03-02"):
        assert raw not in changes, raw
    assert "–" in changes  # published_at was empty before


def test_change_reasons_in_words():
    from pledges.history import decision_reason
    from pledges.history_admin import change_reason_in_words

    reason = decision_reason(datetime.date(2018, 11, 20), "Kommunstyrelsen")
    assert change_reason_in_words(reason) == "20 november 2018, Kommunstyrelsen"
    assert change_reason_in_words(None) == ""
    assert change_reason_in_words("Rättat stavfel") == "Rättat stavfel"
