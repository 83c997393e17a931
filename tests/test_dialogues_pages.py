"""Public pages of the dialogues app: content, privacy and fixed query counts."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from dialogues import selectors, services
from dialogues.models import FeedbackCategory, Finding
from tests.factories import (
    CommitmentFactory,
    DialogueFactory,
    FeedbackFactory,
    FindingFactory,
    MunicipalityFactory,
    PledgeFactory,
    SafetyWalkFactory,
    WalkSignupFactory,
    ensure_feedback_categories,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    ensure_feedback_categories()


@pytest.fixture
def kungalv():
    return MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")


def make_feedback(municipality, n, **kwargs):
    for i in range(n):
        FeedbackFactory(municipality=municipality, text=f"hemlig text {i}", **kwargs)


def test_feedback_summary_counts_and_publishes_only_edited_text(
    client, kungalv, django_assert_num_queries
):
    trafik = FeedbackCategory.objects.get(name="Trafik")
    make_feedback(kungalv, 3, category=trafik)
    FeedbackFactory(
        municipality=kungalv,
        text="Anna Svensson på Storgatan 3 säljer narkotika",
        name="Per Persson",
        email="per@example.se",
        consent=True,
        is_published=True,
        public_text="Oro för narkotikaförsäljning i centrum.",
        public_reply="Polisen har ökat närvaron kvällstid.",
    )
    old = FeedbackFactory(municipality=kungalv, text="gammal")
    type(old).objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    FeedbackFactory(text="annan kommun")  # another kommun
    with django_assert_num_queries(1 + 3):  # the content versions, then the page
        response = client.get("/kommun/kungalv/synpunkter/")
    text = response.text
    assert response.status_code == 200
    assert "Oro för narkotikaförsäljning i centrum." in text
    assert "Polisen har ökat närvaron kvällstid." in text
    for secret in ("Anna Svensson", "Per Persson", "per@example.se", "hemlig text", "gammal"):
        assert secret not in text
    counts = {c.name: c.count for c in response.context["counts"]}
    assert counts["Trafik"] == 3
    assert response.context["total"] == 4


def test_feedback_summary_query_count_does_not_grow(client, kungalv, django_assert_num_queries):
    make_feedback(kungalv, 20, is_published=True, public_text="Redigerad.")
    with django_assert_num_queries(1 + 3):
        client.get("/kommun/kungalv/synpunkter/")


def test_walk_list_shows_upcoming_and_held(client, kungalv, django_assert_num_queries):
    upcoming = SafetyWalkFactory(municipality=kungalv, area="Ytterby centrum")
    held = SafetyWalkFactory(
        municipality=kungalv,
        area="Komarken",
        status="held",
        starts_at=timezone.now() - datetime.timedelta(days=20),
        participants=14,
    )
    for i in range(15):
        FindingFactory(walk=held, status="fixed" if i < 12 else "open")
    SafetyWalkFactory(municipality=kungalv, area="Inställd vandring", status="cancelled")
    SafetyWalkFactory(area="Annan kommun")
    with django_assert_num_queries(1 + 2):
        response = client.get("/kommun/kungalv/trygghetsvandringar/")
    text = response.text
    assert upcoming.area in text and held.area in text
    assert "12 av 15 iakttagelser åtgärdade" in text
    assert "Inställd vandring" not in text and "Annan kommun" not in text
    assert "exempel" not in text.lower().replace("exempel:", "")  # real data: no notice


def test_walk_list_marks_examples(client, kungalv):
    SafetyWalkFactory(municipality=kungalv, is_example=True)
    text = client.get("/kommun/kungalv/trygghetsvandringar/").text
    assert "notice-example" in text and "exempel" in text


def test_held_walk_detail_shows_findings(client, kungalv, django_assert_num_queries):
    pledge = PledgeFactory(municipality=kungalv)
    commitment = CommitmentFactory(pledge=pledge, text="Två trygghetsvandringar ska genomföras.")
    walk = SafetyWalkFactory(
        municipality=kungalv,
        commitment=commitment,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        report="Mörka gångvägar.",
        accessibility="Plant, 2 km.",
    )
    services.record_walk_held(walk=walk, participants=9)
    for i in range(15):
        FindingFactory(walk=walk, status="fixed" if i < 12 else "open", place=f"Plats {i}")
    FindingFactory(walk=walk, status=Finding.Status.DECLINED, declined_reason="Privat mark")
    WalkSignupFactory(walk=walk, name="Hemlig Person")
    with django_assert_num_queries(2):
        response = client.get(walk.get_absolute_url())
    text = response.text
    assert "12 av 16 iakttagelser åtgärdade" in text
    assert "Privat mark" in text and "Mörka gångvägar." in text and "Plant, 2 km." in text
    assert "9 personer deltog" in text
    assert "Hemlig Person" not in text
    assert commitment.get_absolute_url() in text
    assert 'name="people"' not in text  # no sign-up after the walk


def test_upcoming_walk_detail_has_sign_up_form(client, kungalv, django_assert_num_queries):
    walk = SafetyWalkFactory(municipality=kungalv, capacity=20)
    WalkSignupFactory(walk=walk, people=5)
    WalkSignupFactory(walk=walk, people=3)
    with django_assert_num_queries(1):
        response = client.get(walk.get_absolute_url())
    assert "12 platser kvar" in response.text
    assert 'name="people"' in response.text


def test_unpublished_pledge_commitment_is_not_shown(client, kungalv):
    draft = PledgeFactory(municipality=kungalv, status="draft")
    commitment = CommitmentFactory(pledge=draft, text="Hemligt utkast till åtagande")
    walk = SafetyWalkFactory(municipality=kungalv, commitment=commitment)
    assert "Hemligt utkast" not in client.get(walk.get_absolute_url()).text


def test_unknown_walk_is_404(client, db):
    assert client.get("/trygghetsvandring/999999/").status_code == 404


def test_dialogue_list(client, kungalv, django_assert_num_queries):
    commitment = CommitmentFactory(pledge=PledgeFactory(municipality=kungalv))
    held = DialogueFactory(
        municipality=kungalv,
        title="Trygghetsmätning 2025",
        date=timezone.localdate() - datetime.timedelta(days=30),
        status="held",
        format="safety_survey",
        participants=412,
        outcome="Otryggt vid resecentrum.",
    )
    held.commitments.add(commitment)
    for i in range(5):
        DialogueFactory(municipality=kungalv, title=f"Möte {i}")
    DialogueFactory(title="Annan kommuns dialog")
    with django_assert_num_queries(1 + 3):
        response = client.get("/kommun/kungalv/dialoger/")
    text = response.text
    assert "Trygghetsmätning 2025" in text and "412" in text and "Otryggt vid resecentrum." in text
    assert commitment.get_absolute_url() in text
    assert "Möte 4" in text
    assert "Annan kommuns dialog" not in text


def test_municipality_summary_has_fixed_queries(kungalv, django_assert_num_queries):
    for _ in range(5):
        SafetyWalkFactory(municipality=kungalv)
        DialogueFactory(municipality=kungalv)
        FeedbackFactory(municipality=kungalv)
    held = SafetyWalkFactory(
        municipality=kungalv, status="held", starts_at=timezone.now() - datetime.timedelta(days=9)
    )
    FindingFactory(walk=held, status="fixed")
    FindingFactory(walk=held, status="open")
    with django_assert_num_queries(4):
        summary = selectors.municipality_summary(kungalv)
    assert len(summary["upcoming_walks"]) == 3
    assert len(summary["upcoming_dialogues"]) == 3
    assert summary["findings"] == {"total": 2, "fixed": 1, "open": 1, "declined": 0}
    assert summary["feedback_total"] == 5
    assert [(c.name, c.count) for c in summary["feedback_counts"]] == [("Otrygg plats", 5)]
    with django_assert_num_queries(0):
        html = render_to_string("includes/municipality_dialogues.html", {"summary": summary})
    assert 'href="/kommun/kungalv/synpunkt/"' in html
    assert "1 av 2 iakttagelser åtgärdade" in html
    assert "5 synpunkter" in html
    assert '<span lang="sv">Otrygg plats</span>: 5' in html


def test_receipt_page_query_count(client, kungalv, django_assert_num_queries):
    feedback = FeedbackFactory(municipality=kungalv, reference="SYN-2026-0042")
    url = f"/kommun/kungalv/synpunkt/kvitto/{services.receipt_token(feedback)}/"
    with django_assert_num_queries(1):
        response = client.get(url)
    assert "SYN-2026-0042" in response.text
    # The token only works for its own kommun.
    MunicipalityFactory(slug="ale")
    assert client.get(url.replace("kungalv", "ale")).status_code == 404


def test_signup_page_query_count(client, kungalv, django_assert_num_queries):
    signup = WalkSignupFactory(walk=SafetyWalkFactory(municipality=kungalv), name="Hemlig")
    with django_assert_num_queries(1):
        response = client.get(services.signup_manage_path(signup))
    assert response.status_code == 200
    assert "Avboka min anmälan" in response.text


def test_cancelled_walk_says_so(client, kungalv):
    walk = SafetyWalkFactory(municipality=kungalv, status="cancelled")
    response = client.get(walk.get_absolute_url())
    assert "Vandringen är inställd." in response.text
    assert 'name="people"' not in response.text
