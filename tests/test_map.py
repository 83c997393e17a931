"""The map of löften on the home and police-area pages (pledges/maps.py)."""

import csv
import datetime
import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from pledges import maps
from pledges.models import Municipality, Pledge, PledgeState
from tests import factories as f

# Every public page first reads its content versions (1, pagecache.pages.public_page).
# The versions, län with kommuner (2), national figures (3: the current löften, their
# kommuners' versions, their commitments' states), kommuner (1) and map (2: every
# kommun's text version, then the places; pledges.figures.map_places).
HOME_QUERIES = 9
# The versions, the area page's four (no kommun in the demo's area has a current löfte:
# nothing to count; the demo's example next löfte for Kungälv is no kommun's löfte) and the
# map's states.
POLICE_AREA_QUERIES = 6


def kommun_codes():
    with (Path(settings.BASE_DIR) / "reference" / "kommuner.csv").open(encoding="utf-8") as fh:
        return {row["code"] for row in csv.DictReader(fh)}


def map_svg(html):
    start = html.index('<figure class="kommun-map">')
    return html[start : html.index("</figure>", start)]


def links(svg):
    return re.findall(r'<a href="(/kommun/[^"]+/)" class="map-(\w+)"><title>([^<]+)</title>', svg)


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=io.StringIO())


def test_committed_shapes_cover_every_kommun_once():
    data = maps.geometry()
    assert set(data["kommuner"]) == kommun_codes()
    assert len(kommun_codes()) == 290
    for code, shape in data["kommuner"].items():
        assert re.fullmatch(r"(M-?\d+ -?\d+[lhv][-\d ]*z)+", shape["d"]), code
        x0, y0, x1, y1 = shape["bbox"]
        assert x0 <= x1 and y0 <= y1, code
    assert data["viewBox"][:2] == [0, 0]


def test_home_map_has_exactly_one_shape_and_link_per_kommun(client, reference_data):
    html = client.get("/").text
    svg = map_svg(html)
    found = links(svg)
    slugs = [href for href, _, _ in found]
    assert len(slugs) == len(set(slugs)) == 290
    assert set(slugs) == {m.get_absolute_url() for m in Municipality.objects.all()}
    assert svg.count("<path ") == 290
    # Every link has its accessible name; nothing comes from another origin.
    assert ("/kommun/kungalv/", "none", "Kungälv: inget löfte i portalen") in found
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # The text alternative stays: every kommun is also in the list by län.
    counties = html.split('id="counties-heading"')[1]
    assert counties.count('href="/kommun/') == 290


# A day inside Trollhättan's seed löfte (2025–2026), so the test does not age.
SEED_DAY = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)


def test_map_state_matches_the_seed_data(client, demo):
    with mock.patch("django.utils.timezone.now", return_value=SEED_DAY):
        svg = map_svg(client.get("/").text)
        today = timezone.localdate()
    states = {href: state for href, state, _ in links(svg)}
    for pledge in Pledge.objects.public().select_related("municipality"):
        expected = "current" if pledge.is_running(today) else "ended"
        assert states[pledge.municipality.get_absolute_url()] == expected, pledge
    # The done-when of the issue: Trollhättan current, the ended seeds ended.
    assert "Trollhättan: aktuellt löfte" in svg
    for name in ("Kungälv", "Tanum", "Ale", "Lysekil"):
        assert f"{name}: löftet har gått ut, inget nytt" in svg
    assert list(states.values()).count("none") == 285
    legend = svg.split('class="map-legend"')[1]
    assert 'Aktuellt löfte <span class="muted">(1)</span>' in legend
    assert "(4)" in legend and "(285)" in legend


def test_with_pledge_state_one_query(db, django_assert_num_queries):
    today = timezone.localdate()
    year = datetime.timedelta(days=365)
    current, upcoming, ended, renewed, draft, archived, none, later = (
        f.MunicipalityFactory() for _ in range(8)
    )
    f.PledgeFactory(municipality=current)
    f.PledgeFactory(municipality=upcoming, start_date=today + year, end_date=today + 2 * year)
    f.PledgeFactory(municipality=ended, start_date=today - 2 * year, end_date=today - year)
    f.PledgeFactory(municipality=renewed, start_date=today - 2 * year, end_date=today - year)
    f.PledgeFactory(municipality=renewed)
    f.PledgeFactory(municipality=draft, status=Pledge.Status.DRAFT)
    f.PledgeFactory(municipality=archived, archived_at=timezone.now())
    f.PledgeFactory(municipality=later, published_at=timezone.now() + datetime.timedelta(days=1))
    with django_assert_num_queries(1):
        states = {m.pk: m.pledge_state for m in Municipality.objects.with_pledge_state(today)}
    assert states == {
        current.pk: PledgeState.CURRENT,
        upcoming.pk: PledgeState.UPCOMING,
        ended.pk: PledgeState.ENDED,
        renewed.pk: PledgeState.CURRENT,
        draft.pk: PledgeState.NONE,
        archived.pk: PledgeState.NONE,
        none.pk: PledgeState.NONE,
        later.pk: PledgeState.NONE,
    }


def test_home_stays_under_150_kb_with_the_map(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert len(response.content) < 150 * 1024


def test_home_query_count_with_the_map(client, demo, django_assert_num_queries):
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get("/").status_code == 200
    # The whole page is then cached by version: only the versions are read.
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200


def test_publishing_a_pledge_turns_its_kommun_current_on_the_map(
    client, reference_data, django_capture_on_commit_callbacks
):
    from pledges import services

    kungalv = Municipality.objects.get(slug="kungalv")
    assert "Kungälv: inget löfte i portalen" in client.get("/").text
    pledge = f.PledgeFactory(municipality=kungalv, status=Pledge.Status.DRAFT, published_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_pledge(pledge=pledge)
    assert "Kungälv: aktuellt löfte" in client.get("/").text


def test_a_logged_activity_does_not_draw_the_map_again(client, demo, monkeypatch):
    from pledges.models import Commitment

    first = client.get("/")
    commitment = Commitment.objects.filter(pledge__municipality__slug="trollhattan").first()
    f.ActivityFactory(commitment=commitment, quantity=5)

    def no_drawing(*args, **kwargs):
        raise AssertionError("the map was drawn again")

    monkeypatch.setattr(maps, "build", no_drawing)
    second = client.get("/")
    assert second["ETag"] != first["ETag"]  # the page itself was made again
    assert map_svg(second.text) == map_svg(first.text)


def test_police_area_map_frames_its_kommuner(client, demo, django_assert_num_queries):
    from pledges.models import PoliceArea

    area = PoliceArea.objects.filter(municipalities__slug="kungalv").get()
    with django_assert_num_queries(POLICE_AREA_QUERIES):
        response = client.get(area.get_absolute_url())
    svg = map_svg(response.text)
    found = {href for href, _, _ in links(svg)}
    assert found == {m.get_absolute_url() for m in area.municipalities.all()}
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
    assert view_box != " ".join(str(v) for v in maps.geometry()["viewBox"])
    assert f'aria-label="Karta över kommunerna i lokalpolisområde {area.short_name}"' in svg


def test_map_speaks_english(client, reference_data):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    svg = map_svg(client.get("/").text)
    assert "Kungälv: no pledge in the portal" in svg
