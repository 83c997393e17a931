"""Dialogues linked both ways: a picker that names löfte and year, months as dates, and
"Bygger på" on the löfte and commitment pages."""

import datetime

import pytest

from dialogues.models import Dialogue
from tests.factories import CommitmentFactory, FocusAreaFactory, MunicipalityFactory, PledgeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]

D = datetime.date


@pytest.fixture
def sodertalje_years(db):
    """Södertälje's yearly löften, each with the same commitment text (as in the issue)."""
    kommun = MunicipalityFactory(name="Södertälje", slug="sodertalje", code="0181")
    commitments = []
    for year in (2016, 2017, 2018):
        pledge = PledgeFactory(
            municipality=kommun,
            title=f"Medborgarlöfte Södertälje {year}",
            slug=str(year),
            start_date=D(year, 1, 1),
            end_date=D(year, 12, 31),
        )
        commitments.append(
            CommitmentFactory(
                pledge=pledge,
                text="Polisen och kommunen ökar närvaron i centrum under kvällar och helger. "
                "Arbetet följs upp varje kvartal.",
            )
        )
    return kommun, commitments


def test_dialogue_picker_names_loefte_and_year_and_keeps_to_the_kommun(
    login_as, staff_world, personas, sodertalje_years
):
    kommun, commitments = sodertalje_years
    dialogue = Dialogue.objects.create(
        municipality=kommun, title="Invånardialog", date=D(2015, 10, 1), format="meeting"
    )
    client = login_as(personas["superuser"])
    form = client.get(f"/admin/dialogues/dialogue/{dialogue.pk}/change/").context["adminform"].form
    field = form.fields["commitments"]
    labels = [label for _, label in field.choices]
    assert set(field.queryset) == set(commitments)  # not Kungälv's or Trollhättan's
    assert labels[0] == (
        "Löfte 2018 – Polisen och kommunen ökar närvaron i centrum under kvällar och helger."
    )
    assert len(set(labels)) == 3


def test_dialogue_with_only_a_month(sodertalje_years):
    kommun, _ = sodertalje_years
    dialogue = Dialogue.objects.create(
        municipality=kommun,
        title="Invånardialog",
        date=D(2015, 10, 17),
        date_precision=Dialogue.DatePrecision.MONTH,
        format="meeting",
        participants=900,
    )
    assert dialogue.date == D(2015, 10, 1)
    assert dialogue.display_date == "oktober 2015"
    assert dialogue.built_on_label == "Invånardialog oktober 2015, 900 deltagare"


def test_loefte_and_commitment_pages_say_what_they_build_on(client, sodertalje_years):
    kommun, commitments = sodertalje_years
    dialogue = Dialogue.objects.create(
        municipality=kommun,
        title="Invånardialog",
        date=D(2015, 10, 1),
        date_precision=Dialogue.DatePrecision.MONTH,
        format="meeting",
        status=Dialogue.Status.HELD,
        participants=900,
    )
    dialogue.commitments.add(commitments[0])
    pledge = commitments[0].pledge
    for url in (pledge.get_absolute_url(), commitments[0].get_absolute_url()):
        text = client.get(url).text
        assert "Bygger på" in text
        assert "Invånardialog oktober 2015, 900 deltagare" in text
    assert "Bygger på" not in client.get(commitments[1].get_absolute_url()).text


def test_a_dialogue_can_point_to_a_focus_area(client, sodertalje_years):
    kommun, commitments = sodertalje_years
    area = FocusAreaFactory(pledge=commitments[1].pledge, title="Trygg centrumkärna")
    commitments[1].focus_area = area
    commitments[1].save()
    dialogue = Dialogue.objects.create(
        municipality=kommun, title="Trygghetsmätning", date=D(2016, 3, 5), format="survey"
    )
    dialogue.focus_areas.add(area)
    text = client.get(commitments[1].get_absolute_url()).text
    assert "Trygghetsmätning 5 mars 2016" in text
