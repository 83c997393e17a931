"""One public-visibility rule: archived, draft and future-scheduled löften, and archived
commitments, with their activities, appear in no public output (pages, walk and dialogue
pages, search, API, CSV, feeds). Issue 15, item 3."""

import datetime

import pytest
from django.utils import timezone

from pledges.services_archive import archive_commitment, archive_pledge
from tests.factories import (
    ActivityFactory,
    CommitmentFactory,
    DialogueFactory,
    FollowUpFactory,
    FollowUpNoteFactory,
    MunicipalityFactory,
    PledgeFactory,
    SafetyWalkFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN = (
    "ARKIVERAT-ATAGANDE",
    "ARKIVERAD-INSATS",
    "ARKIVERAT-LOFTE",
    "ARKIVERAT-LOFTES-ATAGANDE",
    "ARKIVERAT-LOFTES-INSATS",
    "UTKAST-LOFTE",
    "UTKAST-ATAGANDE",
    "UTKAST-INSATS",
    "FRAMTIDA-LOFTE",
    "FRAMTIDA-ATAGANDE",
    "FRAMTIDA-INSATS",
)
VISIBLE = ("SYNLIGT-ATAGANDE", "SYNLIG-INSATS")


def commitment_with_activity(pledge, text, description):
    commitment = CommitmentFactory(pledge=pledge, text=text, short_text=text)
    ActivityFactory(commitment=commitment, description=description, place=description)
    return commitment


@pytest.fixture
def hidden_world(db):
    kungalv = MunicipalityFactory(slug="kungalv", name="Kungälv")
    user = UserFactory()
    today = timezone.localdate()
    pledge = PledgeFactory(municipality=kungalv, slug="2025", title="Trygg i Kungälv")
    pledge.police_area.municipalities.add(kungalv)
    visible = commitment_with_activity(pledge, "SYNLIGT-ATAGANDE", "SYNLIG-INSATS")
    archived = commitment_with_activity(pledge, "ARKIVERAT-ATAGANDE", "ARKIVERAD-INSATS")
    follow_up = FollowUpFactory(pledge=pledge, date=today)
    FollowUpNoteFactory(follow_up=follow_up, commitment=archived, note="ARKIVERAT-ATAGANDE")
    archive_commitment(commitment=archived, user=user)

    old = PledgeFactory(
        municipality=kungalv,
        slug="2023",
        title="ARKIVERAT-LOFTE",
        start_date=today - datetime.timedelta(days=800),
        end_date=today - datetime.timedelta(days=450),
    )
    old_commitment = commitment_with_activity(
        old, "ARKIVERAT-LOFTES-ATAGANDE", "ARKIVERAT-LOFTES-INSATS"
    )
    archive_pledge(pledge=old, user=user)

    draft = PledgeFactory(municipality=kungalv, slug="utkast", title="UTKAST-LOFTE", status="draft")
    commitment_with_activity(draft, "UTKAST-ATAGANDE", "UTKAST-INSATS")
    future = PledgeFactory(
        municipality=kungalv,
        slug="framtida",
        title="FRAMTIDA-LOFTE",
        published_at=timezone.now() + datetime.timedelta(days=3),
    )
    commitment_with_activity(future, "FRAMTIDA-ATAGANDE", "FRAMTIDA-INSATS")

    held = SafetyWalkFactory(
        municipality=kungalv,
        commitment=archived,
        area="Vandring med arkiverat åtagande",
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=2),
    )
    planned = SafetyWalkFactory(municipality=kungalv, commitment=old_commitment)
    dialogue = DialogueFactory(municipality=kungalv, title="Dialog om arkivet")
    dialogue.commitments.add(archived, old_commitment, visible)
    return {
        "pledge": pledge,
        "visible": visible,
        "archived": archived,
        "old": old,
        "draft": draft,
        "future": future,
        "walks": [held, planned],
    }


def public_urls(world):
    pledge, visible = world["pledge"], world["visible"]
    urls = [
        "/",
        "/?q=kung",
        "/kommun/kungalv/",
        pledge.get_absolute_url(),
        visible.get_absolute_url(),
        pledge.police_area.get_absolute_url(),
        "/kommun/kungalv/trygghetsvandringar/",
        "/kommun/kungalv/dialoger/",
        "/kommun/kungalv/synpunkter/",
        *(walk.get_absolute_url() for walk in world["walks"]),
        "/oppna-data/",
        "/flode/",
        "/kommun/kungalv/flode/",
        "/api/v1/",
    ]
    for name in ("kommuner", "loften", "ataganden", "aktiviteter", "trygghetsvandringar"):
        urls += [f"/api/v1/{name}/", f"/api/v1/{name}/?kommun=kungalv"]
    for name in ("loften", "ataganden", "aktiviteter", "trygghetsvandringar", "iakttagelser"):
        urls += [f"/oppna-data/{name}.csv", f"/oppna-data/{name}.csv?kommun=kungalv"]
    return urls


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def test_nothing_archived_draft_or_future_in_any_public_output(client, hidden_world):
    seen = ""
    for url in public_urls(hidden_world):
        # A search with one match redirects to that kommun's page: follow it.
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        text = body(response)
        for marker in HIDDEN:
            assert marker not in text, f"{marker} at {url}"
        seen += text
    # The walk is public, its archived commitment is not.
    walk_page = body(client.get(hidden_world["walks"][0].get_absolute_url()))
    assert "Vandring med arkiverat åtagande" in walk_page
    assert hidden_world["archived"].get_absolute_url() not in walk_page
    # The same outputs do show what is public, so the test can fail.
    for marker in VISIBLE:
        assert marker in seen


def test_archived_draft_and_future_pages_are_gone(client, hidden_world):
    world = hidden_world
    for url in (
        world["archived"].get_absolute_url(),
        world["old"].get_absolute_url(),
        world["old"].commitments.get().get_absolute_url(),
        world["draft"].get_absolute_url(),
        world["future"].get_absolute_url(),
    ):
        assert client.get(url).status_code == 404, url


def test_api_counts_public_records_only(client, hidden_world):
    data = client.get("/api/v1/ataganden/?kommun=kungalv").json()
    assert [c["text"] for c in data["results"]] == ["SYNLIGT-ATAGANDE"]
    data = client.get("/api/v1/aktiviteter/?kommun=kungalv").json()
    assert [a["description"] for a in data["results"]] == ["SYNLIG-INSATS"]
    data = client.get("/api/v1/trygghetsvandringar/?kommun=kungalv").json()
    assert {w["commitment"] for w in data["results"]} == {None}
