"""A löfte's year end in the admin: closing on one page, renewal that asks, dated decisions.

The Södertälje case from the staff-year issue, built with factories."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from pledges.models import Commitment, Pledge, PledgeDecision
from pledges.services import (
    close_pledge,
    copy_pledge_for_next_period,
    extend_pledge,
    next_title,
    publish_pledge,
)
from pledges.text import shorten
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

D = datetime.date
INTRODUCTION = "Polisen och Södertälje kommun lovar tillsammans ökad trygghet i centrum."


@pytest.fixture
def sodertalje(db):
    kommun = MunicipalityFactory(name="Södertälje", slug="sodertalje", code="0181")
    area = PoliceAreaFactory(name="Södertälje", slug="lpo-sodertalje", municipalities=[kommun])
    pledge = PledgeFactory(
        municipality=kommun,
        police_area=area,
        title="Medborgarlöfte Södertälje 2017",
        slug="2017",
        start_date=D(2017, 1, 1),
        end_date=D(2017, 12, 31),
        published_at=timezone.make_aware(datetime.datetime(2017, 1, 1, 9)),
        introduction=INTRODUCTION,
    )
    controls = CommitmentFactory(
        pledge=pledge,
        text="Polisen genomför trafikkontroller vid skolorna varje vecka under terminerna.",
        target_kind=Commitment.TargetKind.RECURRING,
        target_quantity=1,
        interval=Commitment.Interval.WEEK,
        target_unit="trafikkontroller",
        target_unit_singular="trafikkontroll",
    )
    ActivityFactory(commitment=controls, date=D(2017, 3, 1), quantity=52)
    walks = CommitmentFactory(
        pledge=pledge,
        text="Trygghetsvandringar i Hovsjö och Ronna.",
        target_quantity=6,
        target_unit="trygghetsvandringar",
    )
    ActivityFactory(commitment=walks, date=D(2017, 5, 1), quantity=4)
    lights = CommitmentFactory(
        pledge=pledge,
        text="Kommunen förbättrar belysningen i gångtunnlarna.",
        target_kind=Commitment.TargetKind.MILESTONE,
        target_quantity=None,
        target_unit="",
    )
    coordinator = UserFactory(username="samordnare.sodertalje")
    MembershipFactory(user=coordinator, municipality=kommun)
    from pledges.groups import COORDINATOR_GROUP, ensure_staff_groups

    coordinator.groups.add(ensure_staff_groups()[COORDINATOR_GROUP])
    return pledge, [controls, walks, lights], coordinator


def _close_data(commitments, **overrides):
    controls, walks, lights = commitments
    data = {
        f"outcome_{controls.pk}": "fulfilled",
        f"explanation_{controls.pk}": "",
        f"outcome_{walks.pk}": "partly",
        f"explanation_{walks.pk}": "Två vandringar ställdes in på grund av ovädret.",
        f"outcome_{lights.pk}": "not_fulfilled",
        f"explanation_{lights.pk}": "Upphandlingen drog ut på tiden; arbetet görs 2018.",
        "decided_on": "2018-01-15",
        "decided_by": "Samverkansgruppen",
    }
    data.update(overrides)
    return data


def test_close_page_lists_every_commitment_with_final_count_and_state(login_as, sodertalje):
    pledge, commitments, coordinator = sodertalje
    response = login_as(coordinator).get(reverse("admin:pledges_pledge_close", args=[pledge.pk]))
    assert response.status_code == 200
    text = response.text
    assert "Avsluta löftet" in text
    for commitment in commitments:
        assert f'name="outcome_{commitment.pk}"' in text
        assert f'name="explanation_{commitment.pk}"' in text
    assert "52 av 52 trafikkontroller" in text
    assert "4 av 6 trygghetsvandringar" in text
    assert "Efter plan" in text  # walks: 4 of 6 when the year ended


def test_sodertalje_2017_is_closed_on_one_page_with_three_outcomes(login_as, sodertalje, client):
    pledge, commitments, coordinator = sodertalje
    url = reverse("admin:pledges_pledge_close", args=[pledge.pk])
    response = login_as(coordinator).post(url, _close_data(commitments))
    assert response.status_code == 302
    outcomes = dict(Commitment.objects.filter(pledge=pledge).values_list("text", "outcome"))
    assert sorted(outcomes.values()) == ["fulfilled", "not_fulfilled", "partly"]
    decision = PledgeDecision.objects.get(pledge=pledge)
    assert decision.kind == PledgeDecision.Kind.CLOSED
    assert decision.decided_on == D(2018, 1, 15)
    assert decision.created_by == coordinator

    client.logout()
    page = client.get(pledge.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert "Två vandringar ställdes in på grund av ovädret." in text
    assert "Upphandlingen drog ut på tiden; arbetet görs 2018." in text
    assert "Delvis uppfyllt" in text and "Ej uppfyllt" in text
    # One entry in "Ändringar i löftet", dated with the decision, naming who decided.
    changes = text.split("pledge-changes-heading", 1)[1]
    assert changes.count('class="change change-') == 1
    assert "Löftet avslutat" in changes
    assert "15 januari 2018" in changes
    assert "Samverkansgruppen" in changes


@pytest.mark.parametrize("outcome", ["partly", "not_fulfilled"])
def test_partly_and_not_fulfilled_need_an_explanation(login_as, sodertalje, outcome):
    pledge, commitments, coordinator = sodertalje
    walks = commitments[1]
    data = _close_data(
        commitments, **{f"outcome_{walks.pk}": outcome, f"explanation_{walks.pk}": "  "}
    )
    response = login_as(coordinator).post(
        reverse("admin:pledges_pledge_close", args=[pledge.pk]), data
    )
    assert response.status_code == 400
    assert "Skriv en förklaring till allmänheten" in response.text
    # Nothing is saved: not the other commitments, not the history entry.
    assert not Commitment.objects.filter(pledge=pledge).exclude(outcome="").exists()
    assert not PledgeDecision.objects.exists()


def test_close_service_is_all_or_nothing(sodertalje):
    pledge, (controls, walks, lights), coordinator = sodertalje
    with pytest.raises(ValidationError):
        close_pledge(
            pledge=pledge,
            outcomes={controls: ("fulfilled", ""), walks: ("partly", "")},
            user=coordinator,
        )
    controls.refresh_from_db()
    assert controls.outcome == ""


def test_close_page_is_out_of_reach_outside_the_users_kommun(login_as, sodertalje, personas):
    pledge, commitments, coordinator = sodertalje
    url = reverse("admin:pledges_pledge_close", args=[pledge.pk])
    assert login_as(personas["police"]).get(url).status_code == 404


def test_renewal_proposes_the_new_year_and_refuses_last_years_introduction(login_as, sodertalje):
    pledge, commitments, coordinator = sodertalje
    client = login_as(coordinator)
    url = reverse("admin:pledges_pledge_next", args=[pledge.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Medborgarlöfte Södertälje 2018"' in page.text
    assert "Inledning – granska" in page.text
    response = client.post(
        url,
        {
            "start_date": "2018-01-01",
            "end_date": "2018-12-31",
            "title": "Medborgarlöfte Södertälje 2018",
            # As a browser posts a textarea: CRLF line endings.
            "introduction": INTRODUCTION.replace(" lovar", "\r\nlovar") + "\r\n",
        },
    )
    assert response.status_code == 302
    renewal = Pledge.objects.get(slug="2018", municipality=pledge.municipality)
    assert renewal.title == "Medborgarlöfte Södertälje 2018"
    assert renewal.previous == pledge
    assert renewal.status == Pledge.Status.DRAFT
    assert renewal.introduction_is_copied()

    publish = reverse("admin:pledges_pledge_publish", args=[renewal.pk])
    refused = client.post(publish, {"published_at": ""})
    assert refused.status_code == 400
    assert "Inledningen är densamma som i förra årets löfte" in refused.text
    renewal.refresh_from_db()
    assert renewal.status == Pledge.Status.DRAFT

    # The list action refuses too, and says why.
    action = client.post(
        reverse("admin:pledges_pledge_changelist"),
        {"action": "publish_now", "_selected_action": [renewal.pk]},
        follow=True,
    )
    assert "inledningen är densamma som förra året" in action.text
    renewal.refresh_from_db()
    assert renewal.status == Pledge.Status.DRAFT

    confirmed = client.post(publish, {"published_at": "", "confirm_introduction": "on"})
    assert confirmed.status_code == 302
    renewal.refresh_from_db()
    assert renewal.status == Pledge.Status.PUBLISHED


def test_a_renewal_with_a_new_introduction_publishes_without_asking(sodertalje):
    pledge, commitments, coordinator = sodertalje
    renewal = copy_pledge_for_next_period(
        pledge=pledge,
        start_date=D(2018, 1, 1),
        end_date=D(2018, 12, 31),
        introduction="Under 2018 fortsätter arbetet i Hovsjö.",
        user=coordinator,
    )
    assert renewal.title == "Medborgarlöfte Södertälje 2018"
    assert not renewal.introduction_is_copied()
    publish_pledge(pledge=renewal)
    assert renewal.status == Pledge.Status.PUBLISHED


def test_publish_service_refuses_a_copied_introduction_unconfirmed(sodertalje):
    pledge, commitments, coordinator = sodertalje
    renewal = copy_pledge_for_next_period(
        pledge=pledge, start_date=D(2018, 1, 1), end_date=D(2018, 12, 31), user=coordinator
    )
    with pytest.raises(ValidationError):
        publish_pledge(pledge=renewal)
    publish_pledge(pledge=renewal, confirm_copied_introduction=True)
    assert renewal.status == Pledge.Status.PUBLISHED


def test_change_form_refuses_to_publish_a_copied_introduction(login_as, sodertalje):
    pledge, commitments, coordinator = sodertalje
    renewal = copy_pledge_for_next_period(
        pledge=pledge, start_date=D(2018, 1, 1), end_date=D(2018, 12, 31), user=coordinator
    )
    client = login_as(coordinator)
    url = reverse("admin:pledges_pledge_change", args=[renewal.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if isinstance(value, str | int | datetime.date) and key != "document"
    }
    data.update(
        {
            "municipality": renewal.municipality_id,
            "police_area": renewal.police_area_id,
            "start_date": "2018-01-01",
            "end_date": "2018-12-31",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
        }
    )
    for prefix in ("focus_areas", "commitments", "signatories", "contacts", "extensions"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Inledningen är densamma som i förra årets löfte" in response.text
    renewal.refresh_from_db()
    assert renewal.status == Pledge.Status.DRAFT


@pytest.mark.parametrize(
    ("title", "old", "new", "expected"),
    [
        (
            "Medborgarlöfte Södertälje 2017",
            (2017, 2017),
            (2018, 2018),
            "Medborgarlöfte Södertälje 2018",
        ),
        ("Medborgarlöfte 2025–2026", (2025, 2026), (2027, 2028), "Medborgarlöfte 2027–2028"),
        ("Medborgarlöfte 2025-2026", (2025, 2026), (2027, 2027), "Medborgarlöfte 2027"),
        ("Löfte 2017", (2017, 2017), (2018, 2019), "Löfte 2018–2019"),
        ("Tryggare Kungälv", (2017, 2017), (2018, 2018), "Tryggare Kungälv"),
    ],
)
def test_next_title_moves_the_years(title, old, new, expected):
    result = next_title(
        title, old_start=D(old[0], 1, 1), new_start=D(new[0], 1, 1), new_end=D(new[1], 12, 31)
    )
    assert result == expected


def test_extension_shows_the_decisions_date_and_body(login_as, sodertalje, client):
    pledge, commitments, coordinator = sodertalje
    response = login_as(coordinator).post(
        reverse("admin:pledges_pledge_extend", args=[pledge.pk]),
        {
            "new_end_date": "2018-12-31",
            "reason": "Löftet gäller ett år till.",
            "decided_on": "2018-11-20",
            "decided_by": "Kommunstyrelsen",
        },
    )
    assert response.status_code == 302
    extension = pledge.extensions.get()
    assert (extension.decided_on, extension.decided_by) == (D(2018, 11, 20), "Kommunstyrelsen")
    client.logout()
    changes = client.get(pledge.get_absolute_url()).text.split("pledge-changes-heading", 1)[1]
    assert "Beslut av Kommunstyrelsen" in changes
    assert "20 november 2018" in changes
    # The day it was entered is in the admin's history only.
    assert date_format(timezone.localdate(), "j F Y") not in changes


def test_decision_date_cannot_be_in_the_future(login_as, sodertalje):
    pledge, commitments, coordinator = sodertalje
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login_as(coordinator).post(
        reverse("admin:pledges_pledge_extend", args=[pledge.pk]),
        {"new_end_date": "2018-12-31", "reason": "x", "decided_on": tomorrow.isoformat()},
    )
    assert response.status_code == 400
    assert "kan inte vara i framtiden" in response.text
    assert not pledge.extensions.exists()


def test_extension_without_a_decision_date_keeps_the_entry_date(sodertalje):
    from pledges.history import public_changes

    pledge, commitments, coordinator = sodertalje
    extend_pledge(pledge=pledge, new_end_date=D(2018, 6, 30), reason="", user=coordinator)
    (change,) = public_changes(pledge)
    assert change.date == timezone.localdate()
    assert change.decided_by == ""


def test_shorten_cuts_the_first_sentence_at_a_word_boundary():
    assert shorten("Kort mening. Och en till.") == "Kort mening."
    long = "Polisen genomför trafikkontroller vid samtliga skolor i kommunen " * 3
    short = shorten(long)
    assert len(short) <= 80
    assert short.endswith("…")
    assert short[:-1] == long[: len(short) - 1].rstrip()
    assert long.startswith(short[:-1])
    assert short[-2] != " "


def test_units_agree_with_the_number(sodertalje):
    controls = sodertalje[1][0]
    assert controls.unit_for(1) == "trafikkontroll"
    assert controls.unit_for(7) == "trafikkontroller"
    controls.target_unit_singular = ""
    assert controls.unit_for(1) == "trafikkontroller"


def test_next_period_of_whole_years_is_whole_years_across_a_leap_year():
    from pledges.services import default_next_period

    pledge = PledgeFactory.build(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    assert default_next_period(pledge) == (datetime.date(2027, 1, 1), datetime.date(2028, 12, 31))
    october = PledgeFactory.build(
        start_date=datetime.date(2018, 10, 1), end_date=datetime.date(2019, 9, 30)
    )
    assert default_next_period(october) == (
        datetime.date(2019, 10, 1),
        datetime.date(2020, 9, 30),
    )
