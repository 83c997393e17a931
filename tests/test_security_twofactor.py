"""A throttled two-factor form says to wait and for how long, instead of "wrong code"."""

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/konto/tvastegsverifiering/"


def current_token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def staff(settings, client):
    settings.REQUIRE_2FA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = UserFactory(username="kommunpolis", is_superuser=True)
    user.save()
    client.force_login(user)
    return user


def test_a_throttled_device_says_wait_and_how_long(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    # Five wrong codes in a row: django-otp now waits 16 seconds.
    device.throttling_failure_count = 5
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    response = client.post(URL, {"token": current_token(device)})
    assert response.status_code == 429
    assert "Vänta 16 sekunder" in response.text
    assert "stämmer inte" not in response.text
    assert client.get("/admin/").status_code == 302


def test_after_the_wait_the_right_code_works(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    device.throttling_failure_count = 5
    device.throttling_failure_timestamp = timezone.now() - datetime.timedelta(seconds=17)
    device.save()
    response = client.post(URL, {"token": current_token(device), "next": "/admin/"})
    assert response.status_code == 302


def test_an_unthrottled_wrong_code_still_says_wrong(client, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    response = client.post(URL, {"token": "000000"})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.text


def test_the_wait_message_in_english(client, staff, settings):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    device.throttling_failure_count = 6
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(URL, {"token": "000000"})
    assert response.status_code == 429
    assert "Wait 32 seconds" in response.text
