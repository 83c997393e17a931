"""Login protection: django-axes locks after five failures with a Swedish 429 page."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_eight_wrong_passwords_lock_the_account(client):
    user = UserFactory(username="polis.test")
    user.save()
    statuses = []
    for _ in range(8):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "polis.test", "password": "fel-lösenord"}
        )
        statuses.append(response.status_code)
    assert statuses[:4] == [200] * 4
    assert statuses[-1] == 429
    assert "Inloggningen är tillfälligt spärrad" in response.text
    assert '<html lang="sv">' in response.text
    # Even the right password is refused while locked.
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "polis.test", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 429


def test_the_right_password_logs_in(client):
    user = UserFactory(username="polis.ratt")
    user.save()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "polis.ratt", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 302


def test_password_validators_refuse_weak_passwords():
    with pytest.raises(ValidationError):
        validate_password("kort")
    with pytest.raises(ValidationError):
        validate_password("password1234")


def test_sessions_last_a_working_day():
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
