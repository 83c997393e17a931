"""The public forms: a synpunkt and a walk sign-up, with hostile and broken input."""

import time

import pytest
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.clientip import client_ip
from dialogues import protection, services
from dialogues.models import Feedback, FeedbackCategory, FormAttempt, WalkSignup
from tests.factories import (
    MunicipalityFactory,
    SafetyWalkFactory,
    WalkSignupFactory,
    ensure_feedback_categories,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def categories(db):
    ensure_feedback_categories()


@pytest.fixture(autouse=True)
def no_minimum_wait(settings):
    # The 3-second minimum is tested on its own; other tests post at once.
    settings.SYNPUNKT_MIN_SECONDS = 0


@pytest.fixture
def kungalv():
    return MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")


def category():
    return FeedbackCategory.objects.get(name="Belysning")


def feedback_data(**overrides):
    data = {
        "category": category().pk,
        "place": "Gångtunneln vid Komarken",
        "when_happens": "Kvällar",
        "text": "Lampan i tunneln har varit trasig i flera veckor.",
        "name": "",
        "email": "",
        "phone": "",
        protection.TOKEN_FIELD: protection.new_token(),
        protection.HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def old_token(seconds_ago):
    class Backdated(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - seconds_ago)

    return Backdated(salt=protection._SALT).sign("nonce")


URL = "/kommun/kungalv/synpunkt/"


def test_form_page_warns_it_is_not_for_crimes(client, kungalv, django_assert_num_queries):
    with django_assert_num_queries(2):
        response = client.get(URL)
    assert response.status_code == 200
    text = response.text
    assert "inte till för att anmäla brott" in text
    assert "112" in text and "114 14" in text and "polisen.se" in text
    # The warning comes before the form.
    assert text.index("114 14") < text.index('name="text"')
    for name in ("Otrygg plats", "Trafik", "Narkotika", "Skadegörelse och nedskräpning"):
        assert name in text
    assert 'name="ts"' in text and f'name="{protection.HONEYPOT_FIELD}"' in text


def test_unknown_municipality_is_404(client, db):
    assert client.get("/kommun/finns-inte/synpunkt/").status_code == 404


def test_sending_a_synpunkt_gives_a_receipt(client, kungalv, mailoutbox):
    response = client.post(URL, feedback_data(), follow=True)
    assert response.status_code == 200
    feedback = Feedback.objects.get()
    assert feedback.reference.startswith(f"SYN-{feedback.created_at.year}-")
    assert feedback.reference in response.text
    assert feedback.municipality == kungalv
    assert feedback.status == Feedback.Status.NEW
    assert len(feedback.ip_hash) == 64 and "127.0.0.1" not in feedback.ip_hash
    assert mailoutbox == []  # no e-mail given


def test_receipt_email_when_an_address_is_given(client, kungalv, mailoutbox):
    client.post(URL, feedback_data(name="Eva", email="eva@example.se", consent="on"), follow=True)
    feedback = Feedback.objects.get()
    assert feedback.email == "eva@example.se" and feedback.consent
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["eva@example.se"]
    assert feedback.reference in mailoutbox[0].subject
    assert "112" in mailoutbox[0].body


def test_references_count_up_within_a_year(client, kungalv):
    for _ in range(3):
        client.post(URL, feedback_data())
    numbers = sorted(Feedback.objects.values_list("reference", flat=True))
    assert [r.rsplit("-", 1)[1] for r in numbers] == ["0001", "0002", "0003"]


def test_receipt_link_cannot_be_guessed(client, kungalv):
    client.post(URL, feedback_data())
    assert client.get("/kommun/kungalv/synpunkt/kvitto/1/").status_code == 404
    forged = signing.dumps(1, salt="something-else")
    assert client.get(f"/kommun/kungalv/synpunkt/kvitto/{forged}/").status_code == 404


def test_name_or_phone_need_consent_and_the_error_says_so(client, kungalv):
    for contact in ({"name": "Eva"}, {"phone": "070-123 45 67"}):
        response = client.post(URL, feedback_data(**contact))
        assert response.status_code == 400
        summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
        # The summary link names the field by its short label, not the whole sentence.
        assert '<a href="#id_consent">Samtycke – Kryssa i rutan om samtycke' in summary
        assert "Jag samtycker" not in summary
    assert not Feedback.objects.exists()


def test_email_for_a_receipt_works_without_consent_and_is_not_stored(client, kungalv, mailoutbox):
    response = client.post(URL, feedback_data(email="eva@example.se"))
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.email == "" and not feedback.consent
    assert [m.to for m in mailoutbox] == [["eva@example.se"]]
    receipt = client.get(response.headers["Location"]).text
    assert "Vi har skickat ett kvitto" in receipt
    assert "har inte sparats" in receipt


def test_help_says_what_the_email_is_used_for(client, kungalv):
    text = client.get(URL).text
    assert "används adressen bara till kvittot och sparas inte" in text


@pytest.mark.parametrize("url", [URL, "walk"])
def test_phone_field_is_type_tel_once(client, kungalv, url):
    if url == "walk":
        url = SafetyWalkFactory(capacity=10).get_absolute_url()
    text = client.get(url).text
    phone = text.split('name="phone"')[0].rsplit("<input", 1)[1] + text.split('name="phone"')[1]
    phone = phone.split(">")[0]
    assert 'type="tel"' in phone and 'type="text"' not in phone


def test_required_errors_name_the_field_and_the_fix(client, kungalv):
    response = client.post(URL, feedback_data(category="", place="", text=""))
    assert response.status_code == 400
    summary = response.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "Var? – Skriv var det händer, till exempel en gata eller en park." in summary
    assert "Vad gäller det? – Välj vad synpunkten gäller i listan." in summary
    assert "Beskriv vad som gör dig otrygg – Beskriv med några ord" in summary
    assert "Detta fält måste fyllas i" not in response.text


BAD_INPUT = {
    "empty": {"category": "", "place": "", "text": ""},
    "too long text": {"text": "x" * 5001},
    "too long place": {"place": "x" * 201},
    "invalid e-mail": {"email": "inte-en-adress", "consent": "on"},
    "NUL byte in text": {"text": "hej\x00då"},
    "NUL byte in place": {"place": "\x00"},
    "unknown category": {"category": "999999"},
    "category not a number": {"category": "1 OR 1=1"},
    "phone with letters": {"phone": "<script>", "consent": "on"},
}


@pytest.mark.parametrize("overrides", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_redisplays_form_with_error_summary(client, kungalv, overrides):
    response = client.post(URL, feedback_data(**overrides))
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert 'href="#id_' in response.text
    assert response.text.count("<title>Fel:") == 1
    assert not Feedback.objects.exists()


def test_bad_input_keeps_what_the_resident_wrote(client, kungalv):
    response = client.post(URL, feedback_data(text="Min långa berättelse", place=""))
    assert "Min långa berättelse" in response.text
    assert '<a href="#id_place">' in response.text
    # The page gets a fresh token so the corrected form can be sent.
    assert response.context["token"] != ""


def test_html_and_sql_are_stored_as_text_and_escaped(client, kungalv):
    hostile = "<script>alert('x')</script> '; DROP TABLE dialogues_feedback; --"
    client.post(URL, feedback_data(text=hostile, place="<b>Torget</b>"), follow=True)
    feedback = Feedback.objects.get()
    assert feedback.text == hostile
    token = services.receipt_token(feedback)
    response = client.get(f"/kommun/kungalv/synpunkt/kvitto/{token}/")
    assert "<b>Torget</b>" not in response.text
    assert "&lt;b&gt;Torget&lt;/b&gt;" in response.text


def test_honeypot_refuses_the_post(client, kungalv):
    response = client.post(URL, feedback_data(**{protection.HONEYPOT_FIELD: "http://spam"}))
    assert response.status_code == 400
    assert not Feedback.objects.exists()
    assert FormAttempt.objects.count() == 1


def test_too_fast_post_is_refused_with_a_friendly_message(client, kungalv, settings):
    settings.SYNPUNKT_MIN_SECONDS = 3
    response = client.post(URL, feedback_data())
    assert response.status_code == 400
    assert "väldigt snabbt" in response.text
    assert "Lampan i tunneln" in response.text
    assert not Feedback.objects.exists()


def test_post_after_the_minimum_wait_is_accepted(client, kungalv, settings):
    settings.SYNPUNKT_MIN_SECONDS = 3
    response = client.post(URL, feedback_data(**{protection.TOKEN_FIELD: old_token(5)}))
    assert response.status_code == 302
    assert Feedback.objects.count() == 1


def test_token_older_than_two_hours_is_refused(client, kungalv):
    response = client.post(URL, feedback_data(**{protection.TOKEN_FIELD: old_token(2 * 3600 + 5)}))
    assert response.status_code == 400
    assert "öppet för länge" in response.text
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("token", ["", "garbage", "a:b:c", "x" * 3000])
def test_missing_or_forged_token_is_refused(client, kungalv, token):
    response = client.post(URL, feedback_data(**{protection.TOKEN_FIELD: token}))
    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_replayed_timestamp_is_refused(client, kungalv):
    data = feedback_data()
    assert client.post(URL, data).status_code == 302
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "redan skickats" in response.text
    assert Feedback.objects.count() == 1


def test_rate_limit_per_ip_hash(client, kungalv):
    for _ in range(5):
        assert client.post(URL, feedback_data()).status_code == 302
    response = client.post(URL, feedback_data())
    assert response.status_code == 429
    assert "Vänta en stund" in response.text
    assert Feedback.objects.count() == 5
    # Another address is not affected; no address is stored, only salted hashes.
    other = client.post(URL, feedback_data(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
    assert not FormAttempt.objects.filter(ip_hash__contains="127.0.0.1").exists()
    assert FormAttempt.objects.values("ip_hash").distinct().count() == 2


def test_ip_behind_trusted_proxy(rf, settings):
    settings.NUM_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1")
    assert client_ip(request) == "198.51.100.1"
    settings.NUM_PROXIES = 0
    assert client_ip(request) == "127.0.0.1"


def test_very_large_post_is_a_swedish_413(client, kungalv):
    response = client.post(URL, feedback_data(text="x" * 3_000_000))
    assert response.status_code == 413
    assert "För stort för att tas emot" in response.text
    assert '<html lang="sv">' in response.text
    assert not Feedback.objects.exists()


def test_missing_csrf_token_is_a_swedish_403(kungalv):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, feedback_data())
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.text
    assert not Feedback.objects.exists()


def test_get_with_odd_query_is_fine(client, kungalv):
    assert client.get(URL, {"x": "<script>' OR 1=1 --"}).status_code == 200


def test_get_with_nul_in_query_is_a_swedish_400(client, kungalv):
    # PostgreSQL cannot hold a NUL: RejectNullCharactersMiddleware refuses it up front.
    response = client.get(URL, {"x": "\x00<script>"})
    assert response.status_code == 400
    assert "Felaktig begäran" in response.text


def test_other_methods_are_refused(client, kungalv):
    assert client.put(URL).status_code == 405


# --- Walk sign-up ---------------------------------------------------------------------


def signup_data(**overrides):
    data = {
        "name": "Anna",
        "email": "anna@example.se",
        "phone": "",
        "people": "2",
        protection.TOKEN_FIELD: protection.new_token(),
        protection.HONEYPOT_FIELD: "",
    }
    data.update(overrides)
    return data


def test_sign_up_confirm_and_cancel_through_signed_link(client, mailoutbox):
    walk = SafetyWalkFactory(capacity=10)
    response = client.post(walk.get_absolute_url(), signup_data())
    assert response.status_code == 302
    signup = WalkSignup.objects.get()
    assert signup.people == 2 and signup.walk == walk
    manage = client.get(response.headers["Location"])
    assert "Du är anmäld" in manage.text
    assert len(mailoutbox) == 1
    link = response.headers["Location"].split("?")[0]
    assert link in mailoutbox[0].body
    assert client.post(link).status_code == 302
    signup.refresh_from_db()
    assert signup.cancelled_at is not None
    assert "avbokad" in client.get(link).text
    assert client.get("/trygghetsvandring/anmalan/forged/").status_code == 404


def test_capacity_is_enforced(client):
    walk = SafetyWalkFactory(capacity=3)
    WalkSignupFactory(walk=walk, people=2)
    response = client.post(walk.get_absolute_url(), signup_data(people="2"))
    assert response.status_code == 409
    assert "1 platser kvar" in response.text or "bara 1" in response.text
    assert WalkSignup.objects.count() == 1
    assert client.post(walk.get_absolute_url(), signup_data(people="1")).status_code == 302
    full = client.get(walk.get_absolute_url())
    assert "fullbokad" in full.text
    assert 'name="people"' not in full.text


SIGNUP_BAD = {
    "empty": {"name": "", "email": "", "people": ""},
    "no contact": {"email": "", "phone": ""},
    "invalid e-mail": {"email": "a@"},
    "too many people": {"people": "11"},
    "zero people": {"people": "0"},
    "NUL": {"name": "\x00"},
    "too long name": {"name": "x" * 201},
}


@pytest.mark.parametrize("overrides", SIGNUP_BAD.values(), ids=SIGNUP_BAD.keys())
def test_sign_up_bad_input(client, overrides):
    walk = SafetyWalkFactory()
    response = client.post(walk.get_absolute_url(), signup_data(**overrides))
    assert response.status_code == 400
    assert 'class="error-summary"' in response.text
    assert not WalkSignup.objects.exists()


def test_no_sign_up_after_the_walk(client):
    walk = SafetyWalkFactory(status="held")
    response = client.post(walk.get_absolute_url(), signup_data())
    assert response.status_code == 400
    assert not WalkSignup.objects.exists()


def test_sign_up_replay_and_csrf(client):
    walk = SafetyWalkFactory()
    data = signup_data()
    assert client.post(walk.get_absolute_url(), data).status_code == 302
    assert client.post(walk.get_absolute_url(), data).status_code == 400
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(walk.get_absolute_url(), signup_data()).status_code == 403
    assert WalkSignup.objects.count() == 1


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(max_size=300),
    place=st.text(max_size=250),
    email=st.text(max_size=60),
    category=st.text(max_size=10),
)
def test_any_input_gives_a_redirect_or_a_4xx_never_a_500(kungalv, text, place, email, category):
    client = Client()
    FormAttempt.objects.all().delete()
    response = client.post(
        URL, feedback_data(text=text, place=place, email=email, category=category, consent="on")
    )
    assert response.status_code in (302, 400)
    for feedback in Feedback.objects.all():
        assert "\x00" not in feedback.text + feedback.place
        assert len(feedback.text) <= 5000
