"""A follow-up round is published only when a kommunpolis of the löfte's police area and a
coordinator of its kommun have both approved it (pledges.services.approve_follow_up)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from pledges import services
from pledges.groups import (
    COORDINATOR_GROUP,
    NATIONAL_ADMIN_GROUP,
    POLICE_GROUP,
    ensure_staff_groups,
)
from pledges.models import FollowUp
from reports import selectors
from tests import factories as f

JUNE_12 = timezone.make_aware(datetime.datetime(2026, 6, 12, 10, 0))
JUNE_14 = timezone.make_aware(datetime.datetime(2026, 6, 14, 15, 0))


class World:
    pass


@pytest.fixture
def w(db):
    world = World()
    groups = ensure_staff_groups()
    world.kungalv = f.MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    world.trollhattan = f.MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    world.area = f.PoliceAreaFactory(slug="kungalv-ale", municipalities=[world.kungalv])
    world.other_area = f.PoliceAreaFactory(slug="ostra", municipalities=[world.trollhattan])
    world.pledge = f.PledgeFactory(municipality=world.kungalv, police_area=world.area)
    world.commitment = f.CommitmentFactory(pledge=world.pledge)
    world.round = f.FollowUpFactory(
        pledge=world.pledge,
        title="Vårens uppföljning 2026",
        summary="Fotpatrullerna ligger före planen.",
        police_approved_at=None,
        municipality_approved_at=None,
    )
    f.FollowUpNoteFactory(follow_up=world.round, commitment=world.commitment, note="I fas.")

    def staff(username, group, **membership):
        user = f.UserFactory(username=username)
        user.groups.add(groups[group])
        if membership:
            f.MembershipFactory(user=user, **membership)
        return user

    world.police = staff("polis", POLICE_GROUP, police_area=world.area)
    world.coordinator = staff("samordnare", COORDINATOR_GROUP, municipality=world.kungalv)
    world.other_police = staff("polis.ostra", POLICE_GROUP, police_area=world.other_area)
    world.other_coordinator = staff(
        "samordnare.trollhattan", COORDINATOR_GROUP, municipality=world.trollhattan
    )
    world.national = staff("nationell", NATIONAL_ADMIN_GROUP)
    world.superuser = f.UserFactory(username="super", is_superuser=True)
    return world


def pledge_page(client, w):
    return client.get(reverse("pledges:pledge", args=[w.kungalv.slug, w.pledge.slug]))


def commitment_page(client, w):
    return client.get(
        reverse("pledges:commitment", args=[w.kungalv.slug, w.pledge.slug, w.commitment.pk])
    )


def test_a_round_is_public_only_with_both_approvals(client, w):
    assert "Vårens uppföljning 2026" not in pledge_page(client, w).content.decode()
    assert "I fas." not in commitment_page(client, w).content.decode()
    assert list(selectors.public_follow_ups()) == []

    services.approve_follow_up(follow_up=w.round, user=w.police, now=JUNE_12)
    assert "Vårens uppföljning 2026" not in pledge_page(client, w).content.decode()
    assert "I fas." not in commitment_page(client, w).content.decode()

    approved = services.approve_follow_up(follow_up=w.round, user=w.coordinator, now=JUNE_14)
    assert approved.is_approved
    html = pledge_page(client, w).content.decode()
    assert "Vårens uppföljning 2026" in html
    assert "Godkänd av polisen 12 juni 2026 och av kommunen 14 juni 2026" in html
    assert "I fas." in commitment_page(client, w).content.decode()
    assert list(selectors.public_follow_ups()) == [w.round]


def test_each_party_is_recorded_with_who_and_when(w):
    services.approve_follow_up(follow_up=w.round, user=w.coordinator, now=JUNE_14)
    w.round.refresh_from_db()
    assert w.round.municipality_approved_by == w.coordinator
    assert w.round.municipality_approved_at == JUNE_14
    assert w.round.police_approved_at is None
    services.approve_follow_up(follow_up=w.round, user=w.police, now=JUNE_12)
    w.round.refresh_from_db()
    assert w.round.police_approved_by == w.police
    assert w.round.police_approved_on == datetime.date(2026, 6, 12)


def test_the_history_records_approvals(w):
    services.approve_follow_up(follow_up=w.round, user=w.police)
    record = w.round.history.latest()
    assert record.history_user == w.police
    assert record.police_approved_by_id == w.police.pk
    assert "polisen" in record.history_change_reason


@pytest.mark.parametrize("who", ["other_police", "other_coordinator", "national", "superuser"])
def test_only_the_loftes_own_parties_can_approve(w, who):
    with pytest.raises(ValidationError):
        services.approve_follow_up(follow_up=w.round, user=getattr(w, who))
    w.round.refresh_from_db()
    assert w.round.police_approved_at is None
    assert w.round.municipality_approved_at is None


def test_a_party_cannot_approve_for_the_other(w):
    with pytest.raises(ValidationError):
        services.approve_follow_up(follow_up=w.round, user=w.police, party="municipality")


def test_one_person_cannot_approve_for_both(w):
    both = w.police
    f.MembershipFactory(user=both, municipality=w.kungalv)
    services.approve_follow_up(follow_up=w.round, user=both, party="police")
    with pytest.raises(ValidationError):
        services.approve_follow_up(follow_up=w.round, user=both, party="municipality")


def admin_post(client, w, **changes):
    data = {
        "pledge": w.pledge.pk,
        "date": w.round.date.isoformat(),
        "title": w.round.title,
        "summary": w.round.summary,
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "1",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-id": w.round.notes.get().pk,
        "notes-0-follow_up": w.round.pk,
        "notes-0-commitment": w.commitment.pk,
        "notes-0-note": "I fas.",
        "_save": "Spara",
    }
    data.update(changes)
    return client.post(
        reverse("admin:pledges_followup_change", args=[w.round.pk]), data, follow=True
    )


@pytest.mark.parametrize(
    "changes", [{"summary": "Ändrad sammanfattning."}, {"notes-0-note": "Ändrad kommentar."}]
)
def test_an_edit_after_approval_withdraws_both(client, login_as, w, changes):
    services.approve_follow_up(follow_up=w.round, user=w.police, now=JUNE_12)
    services.approve_follow_up(follow_up=w.round, user=w.coordinator, now=JUNE_14)
    login_as(w.coordinator)
    response = admin_post(client, w, **changes)
    assert response.status_code == 200
    w.round.refresh_from_db()
    assert (w.round.police_approved_at, w.round.municipality_approved_at) == (None, None)
    assert "Godkännandena är borttagna" in response.content.decode()
    client.logout()
    assert "Vårens uppföljning 2026" not in pledge_page(client, w).content.decode()
    assert "Godkännandena togs bort" in w.round.history.latest().history_change_reason


def test_saving_without_changes_keeps_the_approvals(client, login_as, w):
    services.approve_follow_up(follow_up=w.round, user=w.police, now=JUNE_12)
    login_as(w.coordinator)
    response = admin_post(client, w)
    assert "Godkännandena är borttagna" not in response.content.decode()
    w.round.refresh_from_db()
    assert w.round.police_approved_at == JUNE_12


def test_approve_button_in_the_admin(client, login_as, w):
    login_as(w.police)
    change = reverse("admin:pledges_followup_change", args=[w.round.pk])
    assert "Godkänn för polisen" in client.get(change).content.decode()
    url = reverse("admin:pledges_followup_approve", args=[w.round.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"party": "police"}, follow=True)
    assert "Den visas när den andra parten också har godkänt" in response.content.decode()
    w.round.refresh_from_db()
    assert w.round.police_approved_by == w.police
    assert "Godkänn för polisen" not in client.get(change).content.decode()


def test_approve_button_refuses_another_areas_police(client, login_as, w):
    # Another area's kommunpolis does not even see the round (scope): a 404.
    login_as(w.other_police)
    url = reverse("admin:pledges_followup_approve", args=[w.round.pk])
    assert client.post(url, {"party": "police"}).status_code == 404
    # A national administrator has no permission on follow-ups at all: a 403.
    login_as(w.national)
    assert client.post(url, {"party": "police"}).status_code == 403
    # A superuser sees every round, but is no party to the löfte: refused, with the reason.
    login_as(w.superuser)
    response = client.post(url, {"party": "police"}, follow=True)
    assert "Du kan inte godkänna den här uppföljningen" in response.content.decode()
    w.round.refresh_from_db()
    assert not w.round.has_approval


def test_admin_start_page_lists_rounds_waiting_for_you(client, login_as, w):
    login_as(w.police)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Uppföljningar som väntar på ditt godkännande" in html
    assert "Vårens uppföljning 2026" in html
    services.approve_follow_up(follow_up=w.round, user=w.police)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Vårens uppföljning 2026" not in html
    login_as(w.coordinator)
    assert "Vårens uppföljning 2026" in client.get(reverse("admin:index")).content.decode()
    login_as(w.other_police)
    assert "Vårens uppföljning 2026" not in client.get(reverse("admin:index")).content.decode()


def test_awaiting_approval_by(w):
    assert list(FollowUp.objects.awaiting_approval_by(w.police)) == [w.round]
    assert list(FollowUp.objects.awaiting_approval_by(w.coordinator)) == [w.round]
    assert list(FollowUp.objects.awaiting_approval_by(w.other_police)) == []
    assert list(FollowUp.objects.awaiting_approval_by(w.national)) == []


def test_report_marks_an_unapproved_round(client, login_as, w):
    login_as(w.coordinator)
    url = reverse("reports:pledge", args=[w.pledge.pk])
    query = {"uppfoljning": w.round.pk}
    assert "Utkast – inte godkänd av båda parter" in client.get(url, query).content.decode()
    services.approve_follow_up(follow_up=w.round, user=w.police)
    services.approve_follow_up(follow_up=w.round, user=w.coordinator)
    assert "inte godkänd av båda parter" not in client.get(url, query).content.decode()


def test_editing_a_note_on_its_own_page_withdraws_the_approvals(client, login_as, w):
    services.approve_follow_up(follow_up=w.round, user=w.police, now=JUNE_12)
    login_as(w.coordinator)
    note = w.round.notes.get()
    response = client.post(
        reverse("admin:pledges_followupnote_change", args=[note.pk]),
        {"follow_up": w.round.pk, "commitment": w.commitment.pk, "note": "Ny kommentar."},
        follow=True,
    )
    assert "Godkännandena är borttagna" in response.content.decode()
    w.round.refresh_from_db()
    assert not w.round.has_approval
