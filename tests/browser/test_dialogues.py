"""Dialogue pages in a real Chromium: axe (error states included), 360 px, no JavaScript,
and a synpunkt sent with the keyboard only."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from dialogues import services
from dialogues.models import Feedback, WalkSignup
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

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kungalv(settings):
    settings.SYNPUNKT_MIN_SECONDS = 0
    ensure_feedback_categories()
    return MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")


@pytest.fixture
def walks(kungalv):
    commitment = CommitmentFactory(
        pledge=PledgeFactory(municipality=kungalv),
        text="Två trygghetsvandringar ska genomföras i området.",
        target_quantity=2,
    )
    upcoming = SafetyWalkFactory(
        municipality=kungalv,
        area="Ytterby centrum",
        capacity=20,
        accessibility="Plant och asfalterat, cirka 1,5 km.",
        is_example=True,
    )
    held = SafetyWalkFactory(
        municipality=kungalv,
        commitment=commitment,
        area="Nordmannatorget",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        report="Mörka gångvägar mellan torget och Komarken.",
    )
    services.record_walk_held(walk=held, participants=17)
    FindingFactory(walk=held, status="fixed", place="Gångtunneln")
    FindingFactory(walk=held, status="open", place="Parkeringen", category="vegetation")
    FindingFactory(walk=held, status="declined", declined_reason="Privat mark", place="Gården")
    return upcoming, held


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_public_pages_have_no_axe_violations(page, assert_accessible, kungalv, walks):
    upcoming, held = walks
    FeedbackFactory(
        municipality=kungalv,
        is_published=True,
        public_text="Oro för mopeder i centrum.",
        public_reply="Polisen gör fler kontroller.",
    )
    DialogueFactory(municipality=kungalv, title="Trygghetsmätning", status="held")
    DialogueFactory(municipality=kungalv, title="Dialogmöte i Ytterby")
    signup = WalkSignupFactory(walk=upcoming)
    for path in [
        "/kommun/kungalv/synpunkt/",
        "/kommun/kungalv/synpunkter/",
        "/kommun/kungalv/trygghetsvandringar/",
        "/kommun/kungalv/dialoger/",
        upcoming.get_absolute_url(),
        held.get_absolute_url(),
        services.signup_manage_path(signup),
    ]:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)
        assert no_overflow(page), path


def test_synpunkt_error_state_is_accessible_and_links_to_fields(page, assert_accessible, kungalv):
    page.goto("/kommun/kungalv/synpunkt/")
    page.fill("#id_text", "x" * 10)
    page.click("form.dialogue-form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Fel:")
    assert page.locator(".error-summary a[href='#id_place']").count() == 1
    assert page.locator("#id_place").get_attribute("aria-invalid") == "true"
    assert page.input_value("#id_text") == "x" * 10
    assert_accessible(page)
    assert no_overflow(page)


def test_sign_up_error_state_is_accessible(page, assert_accessible, walks):
    upcoming, _ = walks
    page.goto(upcoming.get_absolute_url())
    page.click("form.dialogue-form button[type=submit]")
    assert page.locator(".error-summary").is_visible()
    assert_accessible(page)


def test_error_pages_are_swedish_and_accessible(page, assert_accessible, live_server):
    for template in ("400.html", "403_csrf.html"):
        page.goto("/om/")  # same origin, so the stylesheet loads
        page.set_content(render_to_string(template))
        assert page.locator("html").get_attribute("lang") == "sv"
        assert_accessible(page)


def test_send_a_synpunkt_with_the_keyboard_only(page, kungalv):
    page.goto("/kommun/kungalv/synpunkt/")

    def tab_to(element_id, limit=60):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached #{element_id}")

    tab_to("id_category")
    page.keyboard.press("ArrowDown")
    assert page.input_value("#id_category") != ""
    tab_to("id_place")
    page.keyboard.type("Gångtunneln vid Komarken")
    tab_to("id_text")
    page.keyboard.type("Belysningen i tunneln är trasig.")
    tab_to("id_name")
    page.keyboard.type("Eva")
    tab_to("id_email")
    page.keyboard.type("eva@example.se")
    tab_to("id_consent")
    page.keyboard.press("Space")
    tab_to("send-feedback")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/synpunkt/kvitto/"))
    feedback = Feedback.objects.get()
    assert page.locator(".reference").inner_text() == feedback.reference
    assert feedback.email == "eva@example.se" and feedback.consent


def test_synpunkt_and_sign_up_work_without_javascript(nojs_page, kungalv, walks):
    nojs_page.goto("/kommun/kungalv/synpunkt/")
    nojs_page.select_option("#id_category", label="Belysning")
    nojs_page.fill("#id_place", "Parken")
    nojs_page.fill("#id_text", "Mörkt i parken.")
    nojs_page.click("form.dialogue-form button[type=submit]")
    assert "SYN-" in nojs_page.locator(".reference").inner_text()
    upcoming, _ = walks
    nojs_page.goto(upcoming.get_absolute_url())
    nojs_page.fill("#id_name", "Anna")
    nojs_page.fill("#id_phone", "070-123 45 67")
    nojs_page.fill("#id_people", "2")
    nojs_page.click("form.dialogue-form button[type=submit]")
    assert "Du är anmäld" in nojs_page.content()
    nojs_page.click("text=Avboka min anmälan")
    assert "avbokad" in nojs_page.content()
    assert WalkSignup.objects.get().cancelled_at is not None


def test_municipality_page_partial_is_accessible(page, assert_accessible, walks, kungalv):
    from dialogues.selectors import municipality_summary

    FeedbackFactory(municipality=kungalv)
    html = render_to_string(
        "includes/municipality_dialogues.html", {"summary": municipality_summary(kungalv)}
    )
    page.goto("/om/")  # same origin, so the stylesheet loads
    page.set_content(
        '<!DOCTYPE html><html lang="sv"><head><title>Kungälv</title>'
        '<link rel="stylesheet" href="/static/css/site.css"></head>'
        f"<body><main><h1>Kungälv</h1>{html}</main></body></html>"
    )
    assert page.locator("a[href='/kommun/kungalv/synpunkt/']").count() == 1
    assert "exempel" in page.content()
    assert_accessible(page)
