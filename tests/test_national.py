"""/nationellt/ ("Läget i landet"), the län pages, the län table as CSV and in the API, and
the line on a kommun page that places it among its län's kommuner."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from pledges.models import Commitment, County, Municipality, PoliceRegion
from pledges.national import national_picture
from tests import factories as f

TODAY = datetime.date(2026, 6, 15)
D = datetime.timedelta


@pytest.fixture
def fixed_today(monkeypatch):
    moment = timezone.make_aware(datetime.datetime(2026, 6, 15, 12, 0))
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return TODAY


def pledge_for(code, *, start, end, **kwargs):
    municipality = Municipality.objects.get(code=code)
    kwargs.setdefault("published_at", timezone.make_aware(datetime.datetime(2020, 1, 1)))
    return f.PledgeFactory(
        municipality=municipality, police_area=None, start_date=start, end_date=end, **kwargs
    )


@pytest.fixture
def country(reference_data, fixed_today):
    """In Västra Götaland (14): Kungälv and Ale with a current löfte, Tanum with one that
    ended two months ago, Lysekil with one that ended two years ago (none), Trollhättan
    with a draft only (none). In Stockholm (01): Solna current. Commitments by kind."""
    kungalv = pledge_for("1482", start=TODAY - D(100), end=TODAY + D(200))
    f.CommitmentFactory(pledge=kungalv, kind=Commitment.Kind.TRAFFIC)
    f.CommitmentFactory(pledge=kungalv, kind=Commitment.Kind.TRAFFIC)
    f.CommitmentFactory(pledge=kungalv, kind=Commitment.Kind.PRESENCE)
    ale = pledge_for("1440", start=TODAY - D(10), end=TODAY + D(300))
    f.CommitmentFactory(pledge=ale, kind=Commitment.Kind.YOUTH)
    tanum = pledge_for("1435", start=TODAY - D(400), end=TODAY - D(60))
    f.CommitmentFactory(pledge=tanum, kind=Commitment.Kind.YOUTH)  # ended: not counted
    pledge_for("1484", start=TODAY - D(1100), end=TODAY - D(730))
    pledge_for(
        "1488",
        start=TODAY - D(10),
        end=TODAY + D(300),
        status="draft",
        published_at=None,
    )
    solna = pledge_for("0184", start=TODAY - D(30), end=TODAY + D(30))
    f.CommitmentFactory(pledge=solna, kind=Commitment.Kind.SAFETY_WALKS)


def test_picture_counts_kommuner_per_county_and_region(country, django_assert_num_queries):
    # Län, kommuner, commitments by kind, current löften, then the states: the versions,
    # and the kommuner whose states are not kept yet counted (pledges.figures).
    with django_assert_num_queries(6):
        picture = national_picture()
    assert picture.country.total == 290
    assert (picture.country.current, picture.country.recently_ended) == (3, 1)
    assert picture.country.none == 290 - 4
    assert len(picture.counties) == 21
    assert len(picture.regions) == 7
    vg = picture.county("14")
    assert (vg.current, vg.recently_ended, vg.none) == (2, 1, vg.total - 3)
    stockholm = picture.county("01")
    assert (stockholm.current, stockholm.recently_ended) == (1, 0)
    for county in picture.counties:
        assert county.current + county.recently_ended + county.none == county.total
    assert sum(region.total for region in picture.regions) == 290
    assert picture.country.kinds == {"traffic": 2, "presence": 1, "youth": 1, "safety_walks": 1}
    assert vg.kinds == {"traffic": 2, "presence": 1, "youth": 1}
    assert sum(picture.country.states.values()) == 5


def test_page_names_every_county_with_its_counts(client, country, django_assert_num_queries):
    with django_assert_num_queries(1 + 6):  # the versions, then the picture
        response = client.get(reverse("pledges:national"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Läget i landet" in html
    for county in County.objects.all():
        assert county.name in html
        assert f'id="lan-{county.code}"' in html
        assert reverse("pledges:national_county", args=[county.code]) in html
    for region in PoliceRegion.objects.all():
        assert region.name in html
    assert "<strong>3</strong> av 290 kommuner har ett aktuellt medborgarlöfte" in html
    # Västra Götaland's row: 49 kommuner, 2 current, 1 recently ended, 46 none, 4 commitments.
    row = html.split('id="lan-14"')[1].split("</tr>")[0]
    cells = [cell.split(">")[-1] for cell in row.split("</td>")[:5]]
    assert cells == ["49", "2", "1", "46", "4"]
    # Commitments by kind.
    kinds = html.split('id="by-kind"')[1].split("</table>")[0]
    assert 'Trafikkontroller</th><td class="num">2</td>' in kinds
    assert 'Trygghetsvandringar</th><td class="num">1</td>' in kinds
    assert reverse("pledges:national_csv") in html


def test_second_request_reads_one_content_version(client, country, django_assert_num_queries):
    client.get(reverse("pledges:national"))
    with django_assert_num_queries(1):
        response = client.get(reverse("pledges:national"))
    assert response.status_code == 200


def test_states_are_kept_per_kommun(client, country, django_assert_num_queries):
    """After a write in one kommun the page is made again, but only that kommun's states
    are counted again (pledges.figures.municipality_states), as on the home page."""
    client.get(reverse("pledges:national"))
    f.ActivityFactory(commitment=Commitment.objects.filter(pledge__municipality__slug="ale").get())
    with django_assert_num_queries(1 + 6):
        response = client.get(reverse("pledges:national"))
    assert response.status_code == 200


def test_a_write_anywhere_makes_the_page_again(client, country):
    assert "<strong>3</strong> av 290" in client.get(reverse("pledges:national")).content.decode()
    pledge_for("1486", start=TODAY - D(5), end=TODAY + D(100))  # Strömstad
    assert "<strong>4</strong> av 290" in client.get(reverse("pledges:national")).content.decode()


def test_csv_has_one_row_per_county(client, country):
    response = client.get(reverse("pledges:national_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 21
    record = dict(zip(header, next(row for row in body if row[0] == "14"), strict=True))
    assert record["lan"] == "Västra Götalands län"
    assert record["kommuner"] == "49"
    assert record["med_aktuellt_lofte"] == "2"
    assert record["lofte_gick_ut_senaste_12_manaderna"] == "1"
    assert record["utan_aktuellt_lofte"] == "46"
    assert record["typ_traffic"] == "2"
    assert record["per_datum"] == "2026-06-15"


def test_county_page_lists_its_kommuner(client, country, django_assert_num_queries):
    with django_assert_num_queries(1 + 6):
        response = client.get(reverse("pledges:national_county", args=["14"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<tr id="kommun-') == 49
    kungalv = html.split('id="kommun-kungalv"')[1].split("</tr>")[0]
    assert "Aktuellt löfte" in kungalv
    tanum = html.split('id="kommun-tanum"')[1].split("</tr>")[0]
    assert "gick ut de senaste 12 månaderna" in tanum
    assert client.get(reverse("pledges:national_county", args=["99"])).status_code == 404


def test_api_serves_the_county_table(client, country):
    response = client.get(reverse("reports:api_national"))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert len(data["counties"]) == 21
    assert len(data["regions"]) == 7
    vg = next(row for row in data["counties"] if row["code"] == "14")
    assert vg["municipalities"] == 49
    assert (vg["current"], vg["recently_ended"], vg["none"]) == (2, 1, 46)
    assert vg["kinds"]["traffic"] == 2
    assert data["country"]["current"] == 3
    assert data["as_of"] == "2026-06-15"
    document = client.get(reverse("reports:openapi")).json()
    assert reverse("reports:api_national") in document["paths"]


def test_kommun_page_places_it_among_its_county(client, country, django_assert_num_queries):
    html = client.get(reverse("pledges:municipality", args=["kungalv"])).content.decode()
    assert "En av 2 kommuner i Västra Götalands län med ett aktuellt löfte" in html
    assert reverse("pledges:national") + "#lan-14" in html
    html = client.get(reverse("pledges:municipality", args=["tanum"])).content.decode()
    assert "2 av 49 kommuner i Västra Götalands län har ett aktuellt löfte" in html
    html = client.get(reverse("pledges:municipality", args=["uddevalla"])).content.decode()
    assert "2 av 49 kommuner i Västra Götalands län har ett aktuellt löfte" in html


def test_every_kind_has_a_swedish_label():
    assert len(Commitment.Kind.choices) >= 5
    assert {"presence", "traffic", "safety_walks", "dialogue", "youth", "other"} <= set(
        Commitment.Kind.values
    )


def test_the_demos_example_loften_are_no_kommuns_current_loefte(client, country):
    """An invented next löfte (`Pledge.is_example`, issue 26's demo) running today makes no
    kommun "current", counts no commitments and moves no kommun's line among its län."""
    example = pledge_for(
        "1486", start=TODAY - D(10), end=TODAY + D(300), is_example=True, title="Exempel: x"
    )
    f.CommitmentFactory(pledge=example, kind=Commitment.Kind.YOUTH)
    picture = national_picture()
    assert (picture.country.current, picture.country.recently_ended) == (3, 1)
    assert picture.country.kinds == {"traffic": 2, "presence": 1, "youth": 1, "safety_walks": 1}
    html = client.get(reverse("pledges:municipality", args=["tanum"])).content.decode()
    assert "2 av 49 kommuner i Västra Götalands län har ett aktuellt löfte" in html
