"""Scope in the admin: each persona sees and changes only their own area, for every model."""

import pytest
from django.urls import reverse

from pledges.models import (
    Activity,
    Commitment,
    Contact,
    FocusArea,
    FollowUp,
    FollowUpNote,
    Indicator,
    Partner,
    Pledge,
    PledgeExtension,
    Problem,
    Signatory,
)
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

SCOPED = [
    "pledge",
    "focusarea",
    "commitment",
    "activity",
    "signatory",
    "contact",
    "pledgeextension",
    "followup",
    "followupnote",
    "problem",
    "indicator",
]
# Who sees which area's objects: persona → (sees ours (Kungälv), sees theirs (Trollhättan)).
VISIBILITY = {
    "police": (True, False),
    "coordinator": (False, True),
    "nomember": (False, False),
    "superuser": (True, True),
}


def url(model, name, *args):
    return reverse(f"admin:pledges_{model}_{name}", args=args)


@pytest.mark.parametrize("persona", list(VISIBILITY))
@pytest.mark.parametrize("model", SCOPED + ["municipality", "policearea"])
def test_change_list_shows_only_the_personas_area(login_as, staff_world, personas, persona, model):
    client = login_as(personas[persona])
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].queryset}
    sees_ours, sees_theirs = VISIBILITY[persona]
    assert (staff_world.ours[model].pk in shown) is sees_ours
    assert (staff_world.theirs[model].pk in shown) is sees_theirs


@pytest.mark.parametrize("persona", list(VISIBILITY))
@pytest.mark.parametrize("model", SCOPED + ["municipality", "policearea"])
def test_change_form_opens_own_objects_and_404s_on_others(
    login_as, staff_world, personas, persona, model
):
    client = login_as(personas[persona])
    sees_ours, sees_theirs = VISIBILITY[persona]
    for objects, sees in ((staff_world.ours, sees_ours), (staff_world.theirs, sees_theirs)):
        obj = objects[model]
        response = client.get(url(model, "change", obj.pk))
        assert response.status_code == (200 if sees else 404), (model, persona)
        if not sees:
            assert str(obj) not in response.text
        history = client.get(url(model, "history", obj.pk))
        assert history.status_code == (200 if sees else 404), (model, persona, "history")
        delete = client.get(url(model, "delete", obj.pk))
        assert delete.status_code in ((200, 403) if sees else (404,)), (model, persona, "delete")


POST_CHANGES = {
    "pledge": (Pledge, "title", {"title": "Ändrad"}),
    "focusarea": (FocusArea, "title", {"title": "Ändrad", "order": 0}),
    "commitment": (Commitment, "text", {"text": "Ändrad"}),
    "activity": (Activity, "place", {"place": "Ändrad", "quantity": 1}),
    "signatory": (Signatory, "name", {"name": "Ändrad", "order": 0}),
    "contact": (Contact, "name", {"name": "Ändrad", "order": 0}),
    "pledgeextension": (PledgeExtension, "reason", {"reason": "Ändrad"}),
    "followup": (FollowUp, "title", {"title": "Ändrad"}),
    "followupnote": (FollowUpNote, "note", {"note": "Ändrad"}),
    "problem": (Problem, "title", {"title": "Ändrad"}),
    "indicator": (Indicator, "name", {"name": "Ändrad"}),
}


@pytest.mark.parametrize("persona", ["police", "nomember"])
@pytest.mark.parametrize("model", SCOPED)
def test_post_to_another_areas_object_changes_nothing(
    login_as, staff_world, personas, persona, model
):
    client = login_as(personas[persona])
    klass, field, data = POST_CHANGES[model]
    obj = staff_world.theirs[model]
    before = getattr(klass.objects.get(pk=obj.pk), field)
    response = client.post(url(model, "change", obj.pk), data)
    assert response.status_code == 404
    assert getattr(klass.objects.get(pk=obj.pk), field) == before
    response = client.post(url(model, "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 404
    assert klass.objects.filter(pk=obj.pk).exists()


ADDABLE = [
    "pledge",
    "focusarea",
    "commitment",
    "activity",
    "signatory",
    "contact",
    "followup",
    "followupnote",
    "partner",
    "problem",
    "indicator",
]


@pytest.mark.parametrize("persona", list(VISIBILITY))
@pytest.mark.parametrize("model", ADDABLE)
def test_add_form_opens_for_staff_with_the_permission(
    login_as, staff_world, personas, persona, model
):
    response = login_as(personas[persona]).get(url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["police", "coordinator", "nomember"])
@pytest.mark.parametrize(
    "model", ["municipality", "policearea", "county", "policeregion", "pledgeextension"]
)
def test_reference_data_and_extensions_cannot_be_added_by_staff(
    login_as, staff_world, personas, persona, model
):
    assert login_as(personas[persona]).get(url(model, "add")).status_code == 403


@pytest.mark.parametrize("persona", ["police", "coordinator"])
def test_staff_can_read_but_not_change_their_municipality(login_as, staff_world, personas, persona):
    client = login_as(personas[persona])
    own = staff_world.kungalv if persona == "police" else staff_world.trollhattan
    name = own.name
    response = client.post(
        url("municipality", "change", own.pk),
        {
            "name": "Ändrad",
            "code": own.code,
            "slug": own.slug,
            "county": own.county_id,
            "personal_data_retention_months": 1,
        },
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.name == name


@pytest.mark.parametrize("persona", ["police", "coordinator", "nomember"])
def test_memberships_are_for_superusers_only(login_as, staff_world, personas, persona):
    client = login_as(personas[persona])
    assert client.get(url("membership", "changelist")).status_code == 403
    assert client.get(url("membership", "add")).status_code == 403


def test_superuser_opens_every_admin_screen(login_as, staff_world, personas):
    client = login_as(personas["superuser"])
    membership = MembershipFactory(police_area=staff_world.police_area)
    partner = Partner.objects.create(name="Kriminalvården")
    objects = {
        **staff_world.ours,
        "county": staff_world.kungalv.county,
        "policeregion": staff_world.police_area.region,
        "partner": partner,
        "membership": membership,
    }
    for model, obj in objects.items():
        assert client.get(url(model, "changelist")).status_code == 200, model
        assert client.get(url(model, "change", obj.pk)).status_code == 200, model
        expected_add = 403 if model == "pledgeextension" else 200
        assert client.get(url(model, "add")).status_code == expected_add, model
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_home_lists_tasks_for_staff(login_as, personas):
    response = login_as(personas["police"]).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Medborgarlöfte – administration" in response.text
    assert "Årets uppgifter" in response.text
    assert reverse("staff:register") in response.text
    assert reverse("admin:pledges_membership_changelist") not in response.text


def test_foreign_key_choices_are_scoped(login_as, staff_world, personas):
    client = login_as(personas["police"])
    form = client.get(url("commitment", "add")).context["adminform"].form
    assert set(form.fields["pledge"].queryset) == {staff_world.ours["pledge"]}
    form = client.get(url("pledge", "add")).context["adminform"].form
    assert set(form.fields["municipality"].queryset) == {staff_world.kungalv, staff_world.ale}
    assert set(form.fields["police_area"].queryset) == {staff_world.police_area}
    form = client.get(url("activity", "add")).context["adminform"].form
    assert set(form.fields["commitment"].queryset) == {staff_world.ours["commitment"]}


def test_add_with_another_areas_parent_is_refused(login_as, staff_world, personas):
    client = login_as(personas["police"])
    response = client.post(
        url("activity", "add"),
        {"commitment": staff_world.theirs["commitment"].pk, "date": "2026-01-01", "quantity": 1},
    )
    assert response.status_code == 200
    assert "commitment" in response.context["adminform"].form.errors
    assert (
        not Activity.objects.filter(commitment=staff_world.theirs["commitment"])
        .exclude(pk=staff_world.theirs["activity"].pk)
        .exists()
    )


@pytest.mark.parametrize(
    "model_name,field_name",
    [("pledge", "pledge"), ("commitment", "commitment"), ("municipality", "municipality")],
)
def test_autocomplete_results_are_scoped(login_as, staff_world, personas, model_name, field_name):
    client = login_as(personas["police"])
    source = {"pledge": "commitment", "commitment": "activity", "municipality": "pledge"}
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "pledges",
            "model_name": source[model_name],
            "field_name": field_name,
            "term": "",
        },
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in response.json()["results"]}
    assert staff_world.ours[model_name].pk in ids
    assert staff_world.theirs[model_name].pk not in ids


def test_actions_only_touch_objects_in_scope(login_as, staff_world, personas):
    theirs = staff_world.theirs["pledge"]
    Pledge.objects.filter(pk=theirs.pk).update(status=Pledge.Status.DRAFT)
    client = login_as(personas["police"])
    client.post(
        url("pledge", "changelist"),
        {"action": "publish_now", "_selected_action": [theirs.pk, staff_world.ours["pledge"].pk]},
    )
    theirs.refresh_from_db()
    assert theirs.status == Pledge.Status.DRAFT


def test_inline_rows_belong_to_the_opened_pledge(login_as, staff_world, personas):
    client = login_as(personas["police"])
    response = client.get(url("pledge", "change", staff_world.ours["pledge"].pk))
    assert "Åtagande Kungälv" in response.text
    assert "Åtagande Trollhättan" not in response.text
    assert "Fokus Trollhättan" not in response.text


def test_anonymous_user_is_sent_to_login(client, staff_world):
    response = client.get(url("pledge", "changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "model", ["pledge", "commitment", "activity", "policearea", "followupnote"]
)
def test_change_list_query_count_does_not_grow(login_as, staff_world, personas, model):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import (
        ActivityFactory,
        CommitmentFactory,
        PledgeFactory,
        PoliceAreaFactory,
    )

    client = login_as(personas["police"])
    client.get(url(model, "changelist"))
    with CaptureQueriesContext(connection) as before:
        assert client.get(url(model, "changelist")).status_code == 200
    for _ in range(5):
        area = PoliceAreaFactory(municipalities=[staff_world.ale, staff_world.kungalv])
        pledge = PledgeFactory(municipality=staff_world.ale, police_area=area)
        commitment = CommitmentFactory(pledge=pledge)
        ActivityFactory(commitment=commitment)
        FollowUpNote.objects.create(
            follow_up=FollowUp.objects.create(pledge=pledge, date=pledge.start_date, title="U"),
            commitment=commitment,
            note="N",
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url(model, "changelist"))
    assert response.context["cl"].result_count > 1
    assert len(after.captured_queries) == len(before.captured_queries)


def test_follow_up_note_must_concern_the_follow_ups_own_pledge(login_as, staff_world, personas):
    from tests.factories import CommitmentFactory, PledgeFactory

    other_pledge = PledgeFactory(municipality=staff_world.ale, police_area=staff_world.police_area)
    other_commitment = CommitmentFactory(pledge=other_pledge)
    client = login_as(personas["police"])
    response = client.post(
        url("followupnote", "add"),
        {
            "follow_up": staff_world.ours["followup"].pk,
            "commitment": other_commitment.pk,
            "note": "Fel löfte",
        },
    )
    assert response.status_code == 200
    assert "commitment" in response.context["adminform"].form.errors
    assert not FollowUpNote.objects.filter(note="Fel löfte").exists()


def test_commitment_focus_area_must_be_in_the_same_pledge(login_as, staff_world, personas):
    from tests.factories import FocusAreaFactory, PledgeFactory

    foreign_area = FocusAreaFactory(pledge=PledgeFactory(municipality=staff_world.ale))
    client = login_as(personas["police"])
    response = client.post(
        url("commitment", "add"),
        {
            "pledge": staff_world.ours["pledge"].pk,
            "focus_area": foreign_area.pk,
            "text": "Nytt",
            "target_kind": "qualitative",
            "status": "not_started",
            "order": 0,
            "activities-TOTAL_FORMS": 0,
            "activities-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "focus_area" in response.context["adminform"].form.errors
    assert not Commitment.objects.filter(text="Nytt").exists()


@pytest.mark.parametrize("model", ["pledge", "focusarea", "commitment", "activity"])
def test_historical_version_of_another_areas_object_is_404(login_as, staff_world, personas, model):
    client = login_as(personas["police"])
    for objects, expected in ((staff_world.theirs, 404), (staff_world.ours, 200)):
        obj = objects[model]
        version = obj.history.latest("history_date")
        response = client.get(
            reverse(f"admin:pledges_{model}_simple_history", args=[obj.pk, version.history_id])
        )
        assert response.status_code == expected, model


def test_list_filters_offer_only_the_users_own_kommuner_and_areas(login_as, staff_world, personas):
    client = login_as(personas["police"])
    commitments = client.get(url("commitment", "changelist")).text
    filters = commitments.split('id="changelist-filter"', 1)[1]
    assert "Kungälv" in filters
    assert "Trollhättan" not in filters
    pledges = client.get(url("pledge", "changelist")).text.split('id="changelist-filter"', 1)[1]
    assert "Kungälv/Ale" in pledges
    assert "Östra Fyrbodal" not in pledges


def test_example_data_box_is_for_superusers_only(login_as, staff_world, personas):
    pledge, activity = staff_world.ours["pledge"], staff_world.ours["activity"]
    police = login_as(personas["police"])
    assert (
        "is_demo"
        not in police.get(url("pledge", "change", pledge.pk)).context["adminform"].form.fields
    )
    assert (
        "is_example"
        not in police.get(url("activity", "change", activity.pk)).context["adminform"].form.fields
    )
    assert (
        "exempeldata"
        not in police.get(url("pledge", "changelist")).text.split('id="changelist-filter"', 1)[1]
    )
    superuser = login_as(personas["superuser"])
    assert (
        "is_demo"
        in superuser.get(url("pledge", "change", pledge.pk)).context["adminform"].form.fields
    )


def test_problem_choices_are_the_loeftes_own(login_as, staff_world, personas):
    client = login_as(personas["police"])
    problem = staff_world.ours["problem"]
    other = Commitment.objects.create(
        pledge=another_pledge(staff_world, staff_world.kungalv), text="Annat löfte"
    )
    form = client.get(url("problem", "change", problem.pk)).context["adminform"].form
    assert set(form.fields["commitments"].queryset) == {staff_world.ours["commitment"]}
    response = client.post(
        url("problem", "change", problem.pk),
        {"pledge": problem.pledge_id, "title": "Narkotika", "order": 0, "commitments": [other.pk]},
    )
    assert response.status_code == 200  # refused, shown again
    assert not problem.commitments.exists()


def another_pledge(staff_world, municipality):
    from tests.factories import PledgeFactory

    return PledgeFactory(municipality=municipality, police_area=staff_world.police_area)


def test_indicator_problems_are_scoped_and_in_its_kommun(login_as, staff_world, personas):
    client = login_as(personas["police"])
    form = client.get(url("indicator", "add")).context["adminform"].form
    assert set(form.fields["problems"].queryset) == {staff_world.ours["problem"]}
    indicator = staff_world.ours["indicator"]
    ale_problem = Problem.objects.create(
        pledge=another_pledge(staff_world, staff_world.ale), title="Narkotika i Ale"
    )
    response = client.post(
        url("indicator", "change", indicator.pk),
        {
            "municipality": indicator.municipality_id,
            "name": indicator.name,
            "direction": "lower",
            "problems": [ale_problem.pk],
            "values-TOTAL_FORMS": 0,
            "values-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Välj bara problem i indikatorns kommun." in response.text
