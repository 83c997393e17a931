"""The dialogues admin: every screen, scoped to the staff user's kommuner."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from dialogues.models import Dialogue, Feedback, FeedbackCategory, Finding, SafetyWalk
from pledges.models import Activity
from tests.factories import (
    CommitmentFactory,
    DialogueFactory,
    FeedbackFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    SafetyWalkFactory,
    UserFactory,
    WalkSignupFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def grant_dialogue_permissions(user):
    # UserFactory sets the password without saving it; the session hash needs it saved.
    user.save()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="dialogues"))
    return user


@pytest.fixture
def area():
    kungalv = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    ale = MunicipalityFactory(name="Ale", slug="ale", code="1440")
    trollhattan = MunicipalityFactory(name="Trollhättan", slug="trollhattan", code="1488")
    police_area = PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv, ale]
    )
    return {"kungalv": kungalv, "ale": ale, "trollhattan": trollhattan, "police_area": police_area}


@pytest.fixture
def dialogue_staff(area):
    police_user = grant_dialogue_permissions(
        MembershipFactory(
            police_area=area["police_area"], user=UserFactory(username="kommunpolis")
        ).user
    )
    coordinator = grant_dialogue_permissions(
        MembershipFactory(
            municipality=area["trollhattan"], user=UserFactory(username="samordnare")
        ).user
    )
    nobody = grant_dialogue_permissions(UserFactory(username="utan-medlemskap"))
    superuser = UserFactory(username="admin", is_superuser=True)
    superuser.save()
    return {"police": police_user, "coordinator": coordinator, "nobody": nobody, "super": superuser}


@pytest.fixture
def data(area):
    return {
        "kungalv_feedback": FeedbackFactory(
            municipality=area["kungalv"], reference="SYN-2026-0001"
        ),
        "ale_feedback": FeedbackFactory(municipality=area["ale"], reference="SYN-2026-0002"),
        "troll_feedback": FeedbackFactory(
            municipality=area["trollhattan"], reference="SYN-2026-0003"
        ),
        "kungalv_walk": SafetyWalkFactory(municipality=area["kungalv"], area="Komarken"),
        "troll_walk": SafetyWalkFactory(municipality=area["trollhattan"], area="Resecentrum"),
        "kungalv_dialogue": DialogueFactory(municipality=area["kungalv"], title="Kungälvmötet"),
        "troll_dialogue": DialogueFactory(municipality=area["trollhattan"], title="Trollmötet"),
    }


EXPECTED = {
    "police": {"SYN-2026-0001", "SYN-2026-0002"},
    "coordinator": {"SYN-2026-0003"},
    "nobody": set(),
    "super": {"SYN-2026-0001", "SYN-2026-0002", "SYN-2026-0003"},
}


@pytest.mark.parametrize("persona", EXPECTED)
def test_feedback_inbox_is_scoped(client, dialogue_staff, data, persona):
    client.force_login(dialogue_staff[persona])
    response = client.get("/admin/dialogues/feedback/")
    assert response.status_code == 200
    shown = {f.reference for f in response.context["cl"].result_list}
    assert shown == EXPECTED[persona]


@pytest.mark.parametrize(
    ("persona", "own", "other"),
    [
        ("police", "kungalv_feedback", "troll_feedback"),
        ("coordinator", "troll_feedback", "kungalv_feedback"),
    ],
)
def test_change_view_of_another_area_is_404(client, dialogue_staff, data, persona, own, other):
    client.force_login(dialogue_staff[persona])
    assert client.get(f"/admin/dialogues/feedback/{data[own].pk}/change/").status_code == 200
    assert client.get(f"/admin/dialogues/feedback/{data[other].pk}/change/").status_code == 404
    assert client.get(f"/admin/dialogues/feedback/{data[other].pk}/history/").status_code == 404
    response = client.post(
        f"/admin/dialogues/feedback/{data[other].pk}/change/", {"status": "closed"}
    )
    assert response.status_code == 404
    assert Feedback.objects.get(pk=data[other].pk).status == Feedback.Status.NEW


def test_walks_and_dialogues_are_scoped(client, dialogue_staff, data):
    client.force_login(dialogue_staff["police"])
    walks = client.get("/admin/dialogues/safetywalk/")
    assert [w.area for w in walks.context["cl"].result_list] == ["Komarken"]
    dialogues = client.get("/admin/dialogues/dialogue/")
    assert [d.title for d in dialogues.context["cl"].result_list] == ["Kungälvmötet"]
    assert (
        client.get(f"/admin/dialogues/safetywalk/{data['troll_walk'].pk}/change/").status_code
        == 404
    )
    assert (
        client.get(f"/admin/dialogues/dialogue/{data['troll_dialogue'].pk}/change/").status_code
        == 404
    )


def test_bulk_action_cannot_reach_another_area(client, dialogue_staff, data):
    client.force_login(dialogue_staff["police"])
    ids = [data["kungalv_feedback"].pk, data["troll_feedback"].pk]
    response = client.post(
        "/admin/dialogues/feedback/",
        {"action": "mark_forwarded_police", "_selected_action": ids},
    )
    assert response.status_code == 302
    assert Feedback.objects.get(pk=ids[0]).status == Feedback.Status.FORWARDED_POLICE
    assert Feedback.objects.get(pk=ids[1]).status == Feedback.Status.NEW


def test_bulk_actions_change_status(client, dialogue_staff, data):
    client.force_login(dialogue_staff["super"])
    all_ids = list(Feedback.objects.values_list("pk", flat=True))
    for action, status in [
        ("mark_in_progress", "in_progress"),
        ("mark_forwarded_municipality", "forwarded_municipality"),
        ("mark_closed", "closed"),
    ]:
        client.post("/admin/dialogues/feedback/", {"action": action, "_selected_action": all_ids})
        assert set(Feedback.objects.values_list("status", flat=True)) == {status}


def test_choices_are_scoped(client, dialogue_staff, data, area):
    ours = CommitmentFactory(pledge=PledgeFactory(municipality=area["kungalv"]), text="Vår")
    theirs = CommitmentFactory(pledge=PledgeFactory(municipality=area["trollhattan"]), text="Dem")
    client.force_login(dialogue_staff["police"])
    response = client.get("/admin/dialogues/safetywalk/add/")
    form = response.context["adminform"].form
    assert set(form.fields["municipality"].queryset) == {area["kungalv"], area["ale"]}
    assert ours in form.fields["commitment"].queryset
    assert theirs not in form.fields["commitment"].queryset
    response = client.get("/admin/dialogues/dialogue/add/")
    assert theirs not in response.context["adminform"].form.fields["commitments"].queryset
    feedback = client.get(f"/admin/dialogues/feedback/{data['kungalv_feedback'].pk}/change/")
    assert theirs not in feedback.context["adminform"].form.fields["commitment"].queryset


def test_staff_cannot_create_walk_in_another_municipality(client, dialogue_staff, area):
    client.force_login(dialogue_staff["police"])
    response = client.post("/admin/dialogues/safetywalk/add/", walk_post(area["trollhattan"]))
    assert response.status_code == 200  # form redisplayed with an error
    assert not SafetyWalk.objects.exists()


def walk_post(municipality, **overrides):
    start = timezone.localtime() - datetime.timedelta(days=2)
    data = {
        "municipality": municipality.pk,
        "commitment": "",
        "area": "Komarken",
        "meeting_point": "Torget",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "18:00:00",
        "ends_at_0": "",
        "ends_at_1": "",
        "organisers": "",
        "description": "",
        "accessibility": "",
        "capacity": "",
        "status": "planned",
        "participants": "",
        "report": "",
        "findings-TOTAL_FORMS": "0",
        "findings-INITIAL_FORMS": "0",
        "findings-MIN_NUM_FORMS": "0",
        "findings-MAX_NUM_FORMS": "1000",
        "signups-TOTAL_FORMS": "0",
        "signups-INITIAL_FORMS": "0",
        "signups-MIN_NUM_FORMS": "0",
        "signups-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_walk_with_inline_findings_counts_once_when_held(client, dialogue_staff, area):
    commitment = CommitmentFactory(
        pledge=PledgeFactory(municipality=area["kungalv"]),
        text="Två trygghetsvandringar ska genomföras i området.",
        target_quantity=2,
    )
    client.force_login(dialogue_staff["police"])
    data = walk_post(
        area["kungalv"],
        commitment=commitment.pk,
        status="held",
        participants="15",
        **{
            "findings-TOTAL_FORMS": "2",
            "findings-0-place": "Gångtunneln",
            "findings-0-category": "lighting",
            "findings-0-responsible": "municipality",
            "findings-0-status": "fixed",
            "findings-1-place": "Parken",
            "findings-1-category": "vegetation",
            "findings-1-responsible": "municipality",
            "findings-1-status": "declined",
            "findings-1-declined_reason": "",
        },
    )
    response = client.post("/admin/dialogues/safetywalk/add/", data)
    assert response.status_code == 200  # the declined finding needs a reason
    assert not SafetyWalk.objects.exists()
    data["findings-1-declined_reason"] = "Privat mark"
    response = client.post("/admin/dialogues/safetywalk/add/", data)
    assert response.status_code == 302, response.context["errors"]
    walk = SafetyWalk.objects.get()
    assert walk.findings.count() == 2
    assert Finding.objects.get(place="Gångtunneln").fixed_on == timezone.localdate()
    assert Activity.objects.get().commitment == commitment
    assert walk.activity.created_by == dialogue_staff["police"]
    # Saving again does not count it twice; cancelling removes it.
    change = f"/admin/dialogues/safetywalk/{walk.pk}/change/"
    findings = list(walk.findings.order_by("pk"))
    data.update(
        {
            "findings-INITIAL_FORMS": "2",
            "findings-0-id": findings[0].pk,
            "findings-0-walk": walk.pk,
            "findings-1-id": findings[1].pk,
            "findings-1-walk": walk.pk,
        }
    )
    assert client.post(change, data).status_code == 302
    assert Activity.objects.count() == 1
    data["status"] = "cancelled"
    assert client.post(change, data).status_code == 302
    assert not Activity.objects.exists()


def test_walk_actions(client, dialogue_staff, area):
    commitment = CommitmentFactory(pledge=PledgeFactory(municipality=area["kungalv"]))
    walk = SafetyWalkFactory(municipality=area["kungalv"], commitment=commitment)
    client.force_login(dialogue_staff["police"])
    client.post(
        "/admin/dialogues/safetywalk/", {"action": "mark_held", "_selected_action": [walk.pk]}
    )
    assert Activity.objects.count() == 1
    client.post(
        "/admin/dialogues/safetywalk/",
        {"action": "mark_cancelled", "_selected_action": [walk.pk]},
    )
    assert not Activity.objects.exists()


def test_walk_change_view_shows_signups(client, dialogue_staff, area):
    walk = SafetyWalkFactory(municipality=area["kungalv"])
    WalkSignupFactory(walk=walk, name="Karin Karlsson")
    client.force_login(dialogue_staff["police"])
    response = client.get(f"/admin/dialogues/safetywalk/{walk.pk}/change/")
    assert response.status_code == 200
    assert "Karin Karlsson" in response.text


def feedback_post(**overrides):
    data = {
        "status": "in_progress",
        "routed_to": "police",
        "commitment": "",
        "internal_notes": "Ringt fastighetsägaren.",
        "reply": "",
        "is_published": "",
        "public_text": "",
        "public_reply": "",
    }
    data.update(overrides)
    return data


def test_reply_is_emailed_to_the_resident(client, dialogue_staff, area, mailoutbox):
    feedback = FeedbackFactory(
        municipality=area["kungalv"], email="eva@example.se", consent=True, name="Eva"
    )
    client.force_login(dialogue_staff["police"])
    url = f"/admin/dialogues/feedback/{feedback.pk}/change/"
    response = client.post(url, feedback_post(reply="Lampan är lagad.", send_reply="on"))
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.routed_to == "police" and feedback.internal_notes
    assert feedback.replied_at is not None
    assert len(mailoutbox) == 1
    assert "Lampan är lagad." in mailoutbox[0].body
    assert mailoutbox[0].to == ["eva@example.se"]


def test_reply_without_address_is_refused(client, dialogue_staff, area, mailoutbox):
    feedback = FeedbackFactory(municipality=area["kungalv"])
    client.force_login(dialogue_staff["police"])
    response = client.post(
        f"/admin/dialogues/feedback/{feedback.pk}/change/",
        feedback_post(reply="Svar", send_reply="on"),
    )
    assert response.status_code == 200
    assert mailoutbox == []


def test_publishing_needs_edited_text(client, dialogue_staff, area):
    feedback = FeedbackFactory(municipality=area["kungalv"])
    client.force_login(dialogue_staff["police"])
    url = f"/admin/dialogues/feedback/{feedback.pk}/change/"
    assert client.post(url, feedback_post(is_published="on")).status_code == 200
    response = client.post(url, feedback_post(is_published="on", public_text="Redigerad text"))
    assert response.status_code == 302
    assert Feedback.objects.published().count() == 1


def test_resident_text_is_read_only_and_no_add(client, dialogue_staff, area):
    feedback = FeedbackFactory(municipality=area["kungalv"], text="Originaltext")
    client.force_login(dialogue_staff["police"])
    url = f"/admin/dialogues/feedback/{feedback.pk}/change/"
    client.post(url, feedback_post(text="Ändrad"))
    feedback.refresh_from_db()
    assert feedback.text == "Originaltext"
    assert client.get("/admin/dialogues/feedback/add/").status_code == 403


def test_category_and_dialogue_admin(client, dialogue_staff, area):
    client.force_login(dialogue_staff["super"])
    assert client.get("/admin/dialogues/feedbackcategory/").status_code == 200
    response = client.post(
        "/admin/dialogues/feedbackcategory/add/", {"name": "Klotter", "order": 5, "is_active": "on"}
    )
    assert response.status_code == 302
    assert FeedbackCategory.objects.filter(name="Klotter").exists()
    client.force_login(dialogue_staff["coordinator"])
    response = client.post(
        "/admin/dialogues/dialogue/add/",
        {
            "municipality": area["trollhattan"].pk,
            "title": "Dialog på resecentrum",
            "date_0": "2026-05-01",
            "date": "2026-05-01",
            "status": "planned",
            "format": "meeting",
            "place": "Resecentrum",
            "participants": "",
            "description": "",
            "outcome": "",
        },
    )
    assert response.status_code == 302
    assert Dialogue.objects.get().municipality == area["trollhattan"]


def test_commitment_must_belong_to_the_same_municipality(client, dialogue_staff, area):
    ale_commitment = CommitmentFactory(pledge=PledgeFactory(municipality=area["ale"]))
    feedback = FeedbackFactory(municipality=area["kungalv"])
    client.force_login(dialogue_staff["police"])  # may work on both Kungälv and Ale
    response = client.post(
        f"/admin/dialogues/feedback/{feedback.pk}/change/",
        feedback_post(commitment=ale_commitment.pk),
    )
    assert response.status_code == 200
    assert Feedback.objects.get(pk=feedback.pk).commitment is None
    response = client.post(
        "/admin/dialogues/dialogue/add/",
        {
            "municipality": area["kungalv"].pk,
            "title": "Möte",
            "date": "2026-05-01",
            "status": "planned",
            "format": "meeting",
            "commitments": [ale_commitment.pk],
        },
    )
    assert response.status_code == 200
    assert not Dialogue.objects.exists()
