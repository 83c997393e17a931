"""What the portal states is what the record holds (issue 26, deliverables 1–7): final
figures entered at closing, one rule for "done", ended löften without outcomes, löften
without a period or without commitments, the introduction at the top, home when no löfte
is current, and a demo with a current löfte whatever the date."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from demo.accounts import create_demo_accounts
from demo.loader import load_demo
from pledges.models import Commitment, Pledge
from pledges.progress import compute, milestone_done
from pledges.services import close_pledge
from tests.factories import (
    CommitmentFactory,
    MembershipFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

D = datetime.date
SOURCE = "Enligt polisens sammanställning 2019-10-02"


def text_of(response):
    """The page's text without tags and with single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def entered_late(db):
    """A löfte for 2019 entered in the portal after its period: nothing was logged."""
    kommun = MunicipalityFactory(name="Stenungsund", slug="stenungsund", code="1415")
    area = PoliceAreaFactory(name="Södra Fyrbodal", slug="sodra-fyrbodal", municipalities=[kommun])
    pledge = PledgeFactory(
        municipality=kommun,
        police_area=area,
        title="Medborgarlöfte Stenungsund 2019",
        slug="2019",
        start_date=D(2019, 1, 1),
        end_date=D(2019, 9, 30),
    )
    walks = CommitmentFactory(
        pledge=pledge,
        text="Polisen och kommunen genomför trygghetsvandringar i centrum.",
        short_text="Trygghetsvandringar",
        target_kind=Commitment.TargetKind.COUNT,
        target_quantity=4,
        target_unit="trygghetsvandringar",
        target_unit_singular="trygghetsvandring",
    )
    coordinator = UserFactory(username="samordnare.stenungsund")
    MembershipFactory(user=coordinator, municipality=kommun)
    from pledges.groups import COORDINATOR_GROUP, ensure_staff_groups

    coordinator.groups.add(ensure_staff_groups()[COORDINATOR_GROUP])
    return pledge, walks, coordinator


def close_url(pledge):
    return reverse("admin:pledges_pledge_close", args=[pledge.pk])


# --- 1. Closing with final figures --------------------------------------------------------


def test_close_page_offers_the_final_figure_prefilled_from_the_log(login_as, entered_late):
    pledge, walks, coordinator = entered_late
    response = login_as(coordinator).get(close_url(pledge))
    assert response.status_code == 200
    assert f'name="final_{walks.pk}"' in response.text
    assert f'name="source_{walks.pk}"' in response.text
    assert "Utfört under perioden" in response.text
    assert re.search(rf'name="final_{walks.pk}"[^>]*value="0"', response.text)


def test_close_refuses_fulfilled_under_the_target_without_explanation(login_as, entered_late):
    pledge, walks, coordinator = entered_late
    data = {
        f"outcome_{walks.pk}": "fulfilled",
        f"explanation_{walks.pk}": "",
        f"final_{walks.pk}": "3",
        f"source_{walks.pk}": SOURCE,
        "decided_on": "2019-10-02",
        "decided_by": "Samverkansgruppen",
    }
    response = login_as(coordinator).post(close_url(pledge), data)
    assert response.status_code == 400
    assert "”Uppfyllt” med 3 av målet 4 kräver en förklaring" in response.text
    # What was typed is kept.
    assert re.search(rf'name="final_{walks.pk}"[^>]*value="3"', response.text)
    assert SOURCE in response.text
    walks.refresh_from_db()
    assert walks.outcome == "" and walks.final_quantity is None


def test_a_figure_other_than_the_log_needs_its_source(login_as, entered_late):
    pledge, walks, coordinator = entered_late
    data = {
        f"outcome_{walks.pk}": "fulfilled",
        f"explanation_{walks.pk}": "",
        f"final_{walks.pk}": "4",
        f"source_{walks.pk}": "",
    }
    response = login_as(coordinator).post(close_url(pledge), data)
    assert response.status_code == 400
    assert "Skriv varifrån siffran kommer" in response.text


def test_the_service_refuses_fulfilled_under_target_too(entered_late):
    pledge, walks, coordinator = entered_late
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        close_pledge(
            pledge=pledge,
            outcomes={walks: ("fulfilled", "")},
            final_figures={walks: (2, SOURCE)},
            user=coordinator,
        )


def test_a_pledge_entered_after_its_period_reads_true_once_closed(login_as, entered_late, client):
    pledge, walks, coordinator = entered_late
    data = {
        f"outcome_{walks.pk}": "fulfilled",
        f"explanation_{walks.pk}": "",
        f"final_{walks.pk}": "4",
        f"source_{walks.pk}": SOURCE,
        "decided_on": "2019-10-02",
        "decided_by": "Samverkansgruppen",
    }
    response = login_as(coordinator).post(close_url(pledge), data)
    assert response.status_code == 302
    walks.refresh_from_db()
    assert walks.final_quantity == 4
    assert walks.final_quantity_source == SOURCE
    assert walks.status == Commitment.Status.DONE  # the status follows the outcome

    # The public page: the final figure, said to be entered at closing.
    client.logout()
    page = text_of(client.get(pledge.get_absolute_url()))
    assert "Uppfyllt" in page
    assert "4 av minst 4 trygghetsvandringar" in page
    assert "0 av minst" not in page
    assert "slutsiffra angiven när löftet avslutades" in page
    detail = text_of(client.get(walks.get_absolute_url()))
    assert f"Slutsiffran angavs när löftet avslutades: {SOURCE}" in detail

    # The API: the figure, and where it comes from.
    data = client.get("/api/v1/ataganden/", {"kommun": "stenungsund"}).json()
    (record,) = data["results"]
    assert record["progress"]["achieved"] == 4
    assert record["progress"]["achieved_source"] == "entered_at_closing"
    assert record["progress"]["state"] == "fulfilled"
    assert record["final_quantity"] == 4
    assert record["final_quantity_source"] == SOURCE

    # The report.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    report = text_of(client.get(f"/rapporter/lofte/{pledge.pk}/"))
    assert "4 av minst 4 trygghetsvandringar" in report
    assert f"Slutsiffran angavs när löftet avslutades: {SOURCE}." in report


def test_a_figure_equal_to_the_log_is_not_stored_as_entered(entered_late):
    pledge, walks, coordinator = entered_late
    close_pledge(
        pledge=pledge,
        outcomes={walks: ("not_fulfilled", "Inget gjordes.")},
        final_figures={walks: (0, "")},
        user=coordinator,
    )
    walks.refresh_from_db()
    assert walks.final_quantity is None
    assert walks.status == Commitment.Status.NOT_DONE
    assert not walks.progress().final_entered


# --- 2. One rule for "done" -----------------------------------------------------------------


def test_one_rule_for_done():
    assert milestone_done(achieved=1)
    assert milestone_done(completed=True)
    assert milestone_done(status="done")
    assert milestone_done(outcome="fulfilled")
    assert not milestone_done(status="in_progress", outcome="partly")
    running = compute(
        kind="milestone",
        quantity=None,
        interval="",
        start=D(2025, 1, 1),
        end=D(2025, 12, 31),
        achieved=1,
        today=D(2025, 6, 1),
    )
    assert running.done and running.state == "achieved"


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())


def test_kungalv_report_with_every_outcome_fulfilled_never_says_not_done_yet(demo, client):
    kungalv = Pledge.objects.get(municipality__slug="kungalv", slug="2018-2019")
    commitments = list(kungalv.commitments.all())
    close_pledge(
        pledge=kungalv,
        outcomes=dict.fromkeys(commitments, ("fulfilled", "Redovisat av samverkansgruppen.")),
        user=UserFactory(is_staff=True),
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    report = text_of(client.get(f"/rapporter/lofte/{kungalv.pk}/"))
    assert "Uppfyllt" in report
    assert "Inte genomfört ännu" not in report
    page = text_of(client.get(kungalv.get_absolute_url()))
    assert "Inte genomfört ännu" not in page


# --- 3 and 4. Ended without outcomes; no period, no commitments ----------------------------


def test_lysekil_does_not_claim_an_outcome_is_shown(demo, client):
    lysekil = Pledge.objects.get(municipality__slug="lysekil")
    for url in (lysekil.get_absolute_url(), "/kommun/lysekil/"):
        page = text_of(client.get(url))
        assert "nedan står utfallet" not in page
        assert "visas med utfallet" not in page
        assert "Löftet gick ut den 31 december 2022; utfallet är inte redovisat än." in page


def test_ale_has_no_invented_period_and_no_commitment_count(demo, client):
    ale = Pledge.objects.get(municipality__slug="ale")
    for url in (ale.get_absolute_url(), "/kommun/ale/"):
        response = client.get(url)
        page = text_of(response)
        assert "Perioden anges inte i källan." in page
        assert "2018" not in page.split("Vad polisen och kommunen lovar")[0]
        assert "1 januari 2018" not in page and "31 december 2018" not in page
        assert not re.search(r"\d+ åtaganden?\b", page)
        assert response.context["summary"].total == 0
        # The problem areas are there, as the löfte's words.
        assert "fortkörning är ett problem" in page
    data = client.get("/api/v1/loften/", {"kommun": "ale"}).json()
    assert [record["period_stated"] for record in data["results"]] == [False]


# --- 5. The löfte's own words -----------------------------------------------------------------


def test_introduction_is_at_the_top_and_a_linked_pledge_says_where_it_is(client):
    pledge = PledgeFactory(
        introduction="Första stycket om tryggheten.\n\nAndra stycket.",
        source_url="https://www.polisen.se/lokal/kungalv/medborgarlofte/",
    )
    page = client.get(pledge.get_absolute_url()).content.decode()
    top = page.split('id="commitments-heading"')[0]
    assert "Första stycket om tryggheten." in top and "Andra stycket." in top
    assert "Hela löftet finns hos polisen.se" in top
    assert 'href="https://www.polisen.se/lokal/kungalv/medborgarlofte/"' in top
    assert "Löftet har inga åtaganden registrerade." not in page


def test_a_long_introduction_shows_its_beginning_and_folds_the_rest(client):
    first = "Inledningens början. " * 10
    rest = "Mer text. " * 80
    pledge = PledgeFactory(introduction=f"{first}\n\n{rest}\n\nSista stycket.")
    page = client.get(pledge.get_absolute_url()).content.decode()
    top = page.split('id="commitments-heading"')[0]
    assert first.strip() in top
    assert "Läs hela inledningen" in top
    assert top.index(first.strip()) < top.index("Läs hela inledningen") < top.index("Sista")


# --- 6. Home is never empty --------------------------------------------------------------------


def test_home_with_every_pledge_ended_names_recent_pledges(client):
    for name, slug, code, year in (
        ("Orust", "orust", "1421", 2022),
        ("Tjörn", "tjorn", "1407", 2023),
    ):
        kommun = MunicipalityFactory(name=name, slug=slug, code=code)
        PledgeFactory(
            municipality=kommun,
            title=f"Trygg i {name} {year - 1}",
            slug=str(year - 1),
            start_date=D(year - 1, 1, 1),
            end_date=D(year - 1, 12, 31),
        )
        PledgeFactory(
            municipality=kommun,
            title=f"Trygg i {name} {year}",
            slug=str(year),
            start_date=D(year, 1, 1),
            end_date=D(year, 12, 31),
        )
    page = text_of(client.get("/"))
    assert "Senast publicerade löften" in page
    # The latest per kommun, newest first; not the earlier ones.
    assert page.index("Trygg i Tjörn 2023") < page.index("Trygg i Orust 2022")
    assert "Trygg i Orust 2021" not in page
    assert "Gick ut den 31 december 2023; utfallet är inte redovisat än." in page
    # Then the map.
    assert page.index("Trygg i Orust 2022") < page.index("Löftena på kartan")


# --- 7. A demo that works in any year ----------------------------------------------------------


def test_load_demo_in_another_year_gives_every_demo_account_something_to_log(
    reference_data, client, settings, monkeypatch
):
    later = timezone.make_aware(datetime.datetime(2028, 3, 1, 10, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: D(2028, 3, 1))
    settings.DEBUG = True
    load_demo()
    load_demo()  # a second run on the same day adds nothing
    users = create_demo_accounts()
    settings.DEBUG = False

    examples = Pledge.objects.filter(is_example=True)
    assert sorted(examples.values_list("municipality__slug", flat=True)) == [
        "kungalv",
        "trollhattan",
    ]
    for example in examples:
        assert example.title.startswith("Exempel: ")
        assert example.start_date == D(2028, 3, 1) and example.end_date == D(2029, 2, 28)
        assert example.is_demo and example.is_published
        assert example.previous.is_example is False
    # The seed löften stay as published.
    kungalv = Pledge.objects.get(municipality__slug="kungalv", slug="2018-2019")
    assert (kungalv.start_date, kungalv.end_date) == (D(2018, 10, 1), D(2019, 9, 30))
    assert not kungalv.title.startswith("Exempel")

    for username in ("polis.kungalv-ale", "samordnare.kungalv", "samordnare.trollhattan"):
        client.force_login(users[username], backend="django.contrib.auth.backends.ModelBackend")
        response = client.get("/personal/registrera/")
        assert response.status_code == 200, username
        assert response.context["has_commitments"], username
        assert "(exempel):" in response.text, username

    # The kommun's page shows the real löfte, and lists the example among the others.
    kommun_page = text_of(client.get("/kommun/kungalv/"))
    head, rest = kommun_page.split("Vad polisen och kommunen lovar")
    assert "Trygg i Kungälv – medborgarlöfte 2018–2019" in head
    assert "Exempel: Trygg i Kungälv" not in head
    assert "Exempel: Trygg i Kungälv – medborgarlöfte 2028–2029" in rest.split("Andra löften")[1]

    # Home, with no real löfte current in 2028, lists the seed löften, not the examples.
    home = text_of(client.get("/")).split("Löftena på kartan")[0]
    assert "Senast publicerade löften" in home
    assert "Medborgarlöftet för ett tryggare Trollhättan" in home
    assert "Exempel: " not in home

    # Every page, report and API record of the example says so.
    example = examples.get(municipality__slug="kungalv")
    page = text_of(client.get(example.get_absolute_url()))
    assert "Exempel: det här löftet är påhittat." in page
    commitment = example.commitments.first()
    assert "Exempel: det här löftet är påhittat." in text_of(
        client.get(commitment.get_absolute_url())
    )
    client.force_login(users["admin"], backend="django.contrib.auth.backends.ModelBackend")
    assert "Exempel: " in text_of(client.get(f"/rapporter/lofte/{example.pk}/"))
    records = client.get("/api/v1/loften/", {"kommun": "kungalv"}).json()["results"]
    for record in records:
        if record["id"] == example.pk:
            assert record["title"].startswith("Exempel: ") and record["is_example"]
    records = client.get("/api/v1/ataganden/", {"kommun": "kungalv"}).json()["results"]
    assert {r["example_pledge"] for r in records if r["pledge"] == example.pk} == {True}
    assert {r["example_pledge"] for r in records if r["pledge"] == kungalv.pk} == {False}


def test_commitment_admin_refuses_fulfilled_under_target_without_explanation(
    login_as, entered_late
):
    pledge, walks, coordinator = entered_late
    client = login_as(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:pledges_commitment_change", args=[walks.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = (
            [v.pk for v in value]
            if hasattr(value, "__iter__") and not isinstance(value, str)
            else (value.pk if hasattr(value, "pk") else value)
        )
    data |= {
        "outcome": "fulfilled",
        "outcome_explanation": "",
        "final_quantity": "2",
        "final_quantity_source": SOURCE,
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert "”Uppfyllt” med 2 av målet 4 kräver en förklaring" in response.text
    walks.refresh_from_db()
    assert walks.outcome == ""
