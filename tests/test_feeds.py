import xml.etree.ElementTree as ET

import pytest

from tests import reports_data
from tests.factories import ActivityFactory
from tests.reports_data import AUTHOR, DRAFT_ACTIVITY, DRAFT_TITLE, SECRET_NOTE

world = reports_data.world  # the shared fixture

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{tag}") is not None
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert (entry.find(f"{ATOM}{tag}").text or "").strip(), tag
    return root, entries


def test_kommun_feed_is_valid_atom_with_activities_and_follow_ups(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(3):  # kommun, activities, follow-ups
        response = client.get("/kommun/kungalv/flode/")
    root, entries = parse(response)
    assert root.find(f"{ATOM}title").text == "Medborgarlöfte – Kungälv"
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert any(t.startswith("Fotpatrullering – 7 st") for t in titles)
    assert "Uppföljning: Vårens uppföljning" in titles
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) == 4
    assert "Trollhättans åtagande" not in response.text


def test_feed_query_count_does_not_grow(client, world, django_assert_num_queries):
    ActivityFactory.create_batch(40, commitment=world["patrols"])
    with django_assert_num_queries(3):
        response = client.get("/kommun/kungalv/flode/")
    _root, entries = parse(response)
    assert len(entries) == 30


def test_country_feed_covers_every_kommun(client, world, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get("/flode/")
    _root, entries = parse(response)
    text = response.text
    assert "Trollhättans åtagande" in text and "Fotpatrullering" in text


@pytest.mark.parametrize("url", ["/flode/", "/kommun/kungalv/flode/"])
def test_feeds_leak_nothing(client, world, url):
    text = client.get(url).text
    for marker in (DRAFT_TITLE, DRAFT_ACTIVITY, SECRET_NOTE, AUTHOR):
        assert marker not in text


def test_example_activities_are_marked(client, world):
    ActivityFactory(commitment=world["patrols"], is_example=True, description="Påhittad.")
    _root, entries = parse(client.get("/kommun/kungalv/flode/"))
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert any(t.startswith("Exempel: ") for t in titles)


def test_unknown_kommun_feed_is_404(client, db):
    assert client.get("/kommun/finns-inte/flode/").status_code == 404


def test_empty_feed_is_still_valid(client, db):
    from tests.factories import MunicipalityFactory

    MunicipalityFactory(slug="tom")
    _root, entries = parse(client.get("/kommun/tom/flode/"))
    assert entries == []
