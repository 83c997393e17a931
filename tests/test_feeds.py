import datetime
import xml.etree.ElementTree as ET

import pytest

from tests.factories import ActivityFactory, SafetyWalkFactory
from tests.reports_data import AUTHOR, DRAFT_ACTIVITY, DRAFT_TITLE, SECRET_NOTE

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


def test_municipality_feed_is_valid_atom_with_activities_and_follow_ups(
    client, world, django_assert_num_queries
):
    with django_assert_num_queries(5):  # versions, kommun, activities, follow-ups, walks
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
    SafetyWalkFactory.create_batch(12, municipality=world["kungalv"])
    with django_assert_num_queries(1 + 4):
        response = client.get("/kommun/kungalv/flode/")
    _root, entries = parse(response)
    assert len(entries) == 30


def test_country_feed_covers_every_municipality(client, world, django_assert_num_queries):
    with django_assert_num_queries(1 + 3):  # the content versions, then the feed
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


def test_unknown_municipality_feed_is_404(client, db):
    assert client.get("/kommun/finns-inte/flode/").status_code == 404


def test_empty_feed_is_still_valid(client, db):
    from tests.factories import MunicipalityFactory

    MunicipalityFactory(slug="tom")
    _root, entries = parse(client.get("/kommun/tom/flode/"))
    assert entries == []


def test_municipality_feed_carries_held_and_planned_walks(client, dialogue_world):
    root, entries = parse(client.get("/kommun/kungalv/flode/"))
    by_title = {e.find(f"{ATOM}title").text: e for e in entries}
    held_day = (dialogue_world["start"] + datetime.timedelta(days=5)).isoformat()
    held = by_title[f"Trygghetsvandring genomförd: Ytterby centrum, {held_day}"]
    assert "1 av 4 iakttagelser åtgärdade" in held.find(f"{ATOM}summary").text
    link = held.find(f"{ATOM}link").get("href")
    assert link.endswith(dialogue_world["held_walk"].get_absolute_url())
    assert held.find(f"{ATOM}id").text.endswith(
        f"trygghetsvandring/{dialogue_world['held_walk'].pk}"
    )
    titles = list(by_title)
    assert any(t.startswith("Trygghetsvandring planerad: Kode") for t in titles)
    assert any(t.startswith("Exempel: Trygghetsvandring planerad: Komarken") for t in titles)
    assert not any("Inställd promenad" in t or "Trollhättans centrum" in t for t in titles)
    # Activities and follow-ups are still there.
    assert "Uppföljning: Vårens uppföljning" in titles
    assert any(t.startswith("Fotpatrullering") for t in titles)


def test_country_feed_carries_walks_of_every_municipality(client, dialogue_world):
    _root, entries = parse(client.get("/flode/"))
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert any("Trollhättans centrum" in t for t in titles)
    assert any("Ytterby centrum" in t for t in titles)


def test_feed_is_dated_by_the_latest_walk_change(client, dialogue_world):
    walk = dialogue_world["planned_walk"]
    walk.status = "held"
    walk.participants = 5
    walk.save()
    _root, entries = parse(client.get("/kommun/kungalv/flode/"))
    first = entries[0].find(f"{ATOM}title").text
    assert first.startswith("Trygghetsvandring genomförd: Kode")
