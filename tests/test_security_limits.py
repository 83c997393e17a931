"""Request body limits (core.limits): the attacks replayed.

A 100 MB file attached to a public synpunkt was accepted and the synpunkt saved, and
100 MB posted to the GET-only API was parsed before the 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dialogues import protection
from dialogues.models import Feedback, FeedbackCategory
from pledges.groups import POLICE_GROUP, ensure_staff_groups
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    PoliceAreaFactory,
    UserFactory,
    ensure_feedback_categories,
)

pytestmark = pytest.mark.django_db

URL = "/kommun/kungalv/synpunkt/"
HUNDRED_MB = str(100 * 1024 * 1024)


@pytest.fixture(autouse=True)
def kungalv(settings):
    settings.SYNPUNKT_MIN_SECONDS = 0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_feedback_categories()
    return MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")


def feedback_data(**overrides):
    return {
        "category": FeedbackCategory.objects.get(name="Belysning").pk,
        "place": "Gångtunneln vid Komarken",
        "when_happens": "Kvällar",
        "text": "Lampan i tunneln har varit trasig i flera veckor.",
        protection.TOKEN_FIELD: protection.new_token(),
        protection.HONEYPOT_FIELD: "",
        **overrides,
    }


def unread_body(client, method, path, length, content_type):
    """A request declaring `length` bytes but carrying a few: reading the body would fail
    the test client (it cannot read more than it has), so a clean answer proves nobody
    read it."""
    return client.generic(method, path, b"x" * 10, content_type=content_type, CONTENT_LENGTH=length)


def assert_swedish_refusal(response, status):
    assert response.status_code == status
    assert '<html lang="sv">' in response.text
    assert "Inget av det du skickade har sparats" in response.text


def test_a_file_attached_to_a_public_form_is_refused_and_nothing_saved(client):
    upload = SimpleUploadedFile("bild.pdf", b"%PDF-1.7\n" + b"x" * 1000)
    response = client.post(URL, {**feedback_data(), "bilaga": upload})
    assert_swedish_refusal(response, 415)
    assert "tar inte emot filer" in response.text
    assert not Feedback.objects.exists()


def test_a_100_mb_public_post_is_refused_before_it_is_read(client):
    response = unread_body(client, "POST", URL, HUNDRED_MB, "multipart/form-data; boundary=x")
    assert_swedish_refusal(response, 413)
    assert "64 kB" in response.text
    assert not Feedback.objects.exists()


def test_a_public_form_post_over_64_kb_is_a_413(client):
    response = client.post(URL, feedback_data(text="x" * (65 * 1024)))
    assert_swedish_refusal(response, 413)
    assert not Feedback.objects.exists()
    # An ordinary synpunkt still goes through.
    assert client.post(URL, feedback_data()).status_code == 302
    assert Feedback.objects.count() == 1


@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/api/v1/loften/"),
        ("POST", "/oppna-data/aktiviteter.csv"),
        ("POST", "/flode/"),
        ("POST", "/kommun/kungalv/flode/"),
        ("POST", "/healthz"),
        ("GET", "/"),
        ("GET", URL),
    ],
)
def test_read_only_urls_and_gets_refuse_any_body_before_parsing(client, method, path):
    response = unread_body(client, method, path, HUNDRED_MB, "application/x-www-form-urlencoded")
    assert_swedish_refusal(response, 413)
    assert "tar inte emot något innehåll" in response.text


def test_the_413_page_speaks_english_when_chosen(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = unread_body(client, "POST", "/api/v1/loften/", "1000", "text/plain")
    assert response.status_code == 413
    assert "does not accept" in response.text


def test_a_bad_content_length_is_a_400(client):
    response = client.generic("POST", URL, b"", CONTENT_LENGTH="many")
    assert response.status_code == 400


@pytest.fixture
def staff_client():
    area = PoliceAreaFactory()
    user = UserFactory(username="polis.test")
    user.groups.add(ensure_staff_groups()[POLICE_GROUP])
    MembershipFactory(user=user, police_area=area)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_staff_upload_pages_take_a_document_sized_body(staff_client, settings):
    # A 5 MB body to the staff import page reaches the view (which answers the bad CSV).
    upload = SimpleUploadedFile("logg.csv", b"x" * (5 * 1024 * 1024), content_type="text/csv")
    response = staff_client.post("/personal/importera/", {"file": upload})
    assert response.status_code != 413
    # More than the PDF limit and its form is refused before reading.
    too_big = str(settings.STAFF_UPLOAD_MAX_BYTES + 1)
    response = unread_body(
        staff_client, "POST", "/admin/pledges/pledge/add/", too_big, "multipart/form-data"
    )
    assert_swedish_refusal(response, 413)
    assert "21 MB" in response.text


def test_anonymous_posts_to_the_admin_get_the_public_limit(client):
    response = unread_body(client, "POST", "/admin/login/", "5000000", "multipart/form-data")
    assert_swedish_refusal(response, 413)
