import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from accounts.models import SignInAttempt
from core.clientip import client_ip, hash_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff():
    user = UserFactory(username="kommunpolis")
    user.save()
    return user


def sign_in(client, username, password):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        headers={"user-agent": "Mozilla/5.0 " + "x" * 500},
        REMOTE_ADDR="192.0.2.10",
    )


def test_successful_sign_in_is_recorded_without_password(client, staff):
    response = sign_in(client, "kommunpolis", PASSWORD)
    assert response.status_code == 302
    attempt = SignInAttempt.objects.get()
    assert attempt.success is True
    assert attempt.user == staff
    assert attempt.username == "kommunpolis"
    assert attempt.ip_hash == hash_ip("192.0.2.10")
    assert "192.0.2.10" not in attempt.ip_hash
    assert len(attempt.user_agent) == 200
    assert PASSWORD not in str(SignInAttempt.objects.values().get())


def test_failed_sign_in_is_recorded_without_password(client, staff):
    response = sign_in(client, "kommunpolis", "fel-lösenord-123")
    assert response.status_code == 200
    attempt = SignInAttempt.objects.get()
    assert attempt.success is False
    assert attempt.user is None
    assert attempt.username == "kommunpolis"
    assert "fel-lösenord" not in str(SignInAttempt.objects.values().get())


PROXY = "10.0.0.2"  # REMOTE_ADDR of every request behind the proxy
ADDRESS_A = "198.51.100.66"  # the attacker
ADDRESS_B = "203.0.113.10"  # the account's owner


def sign_in_through_proxy(client, password, *, client_address, forged=""):
    """A sign-in as gunicorn sees it behind one proxy: the proxy appends the address it
    received the request from to whatever X-Forwarded-For the client sent."""
    forwarded = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        "/admin/login/",
        {"username": "kommunpolis", "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_a_stranger_cannot_lock_the_owner_out_behind_a_proxy(client, staff, settings):
    settings.NUM_PROXIES = 1
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    for n in range(5):
        attacker = Client()
        response = sign_in_through_proxy(
            attacker, "fel-lösenord-123", client_address=ADDRESS_A, forged=f"192.0.2.{n}"
        )
        assert response.status_code in (200, 429)
    # The attacker's address is locked out, whatever they forge ...
    locked = sign_in_through_proxy(
        Client(), PASSWORD, client_address=ADDRESS_A, forged="192.0.2.99"
    )
    assert locked.status_code == 429
    # ... while the owner, from another address, signs in with the right password.
    owner = sign_in_through_proxy(client, PASSWORD, client_address=ADDRESS_B)
    assert owner.status_code == 302

    failed = SignInAttempt.objects.filter(success=False)
    assert {row.ip_hash for row in failed} == {hash_ip(ADDRESS_A)}
    success = SignInAttempt.objects.get(success=True)
    assert success.ip_hash == hash_ip(ADDRESS_B) != hash_ip(ADDRESS_A)
    assert hash_ip(PROXY) not in set(SignInAttempt.objects.values_list("ip_hash", flat=True))


def test_without_proxies_forwarded_headers_are_ignored(client, staff, settings):
    settings.NUM_PROXIES = 0
    sign_in_through_proxy(client, "fel-lösenord-123", client_address=ADDRESS_A)
    assert SignInAttempt.objects.get().ip_hash == hash_ip(PROXY)


def test_unknown_username_is_recorded(client, db):
    sign_in(client, "finns.inte", "vad-som-helst-123")
    assert SignInAttempt.objects.get().username == "finns.inte"


def test_ip_hash_is_salted_with_the_secret_key(settings):
    first = hash_ip("192.0.2.10")
    settings.SECRET_KEY = "another-secret-key-for-this-test-0123456789"
    assert hash_ip("192.0.2.10") != first
    assert hash_ip("") == ""


def test_purge_removes_only_expired_attempts(settings):
    settings.SIGNIN_AUDIT_RETENTION_DAYS = 30
    old = SignInAttempt.objects.create(
        username="a", success=False, created_at=timezone.now() - datetime.timedelta(days=31)
    )
    recent = SignInAttempt.objects.create(
        username="b", success=True, created_at=timezone.now() - datetime.timedelta(days=29)
    )
    out = io.StringIO()
    call_command("purge_signin_audit", "--dry-run", stdout=out)
    assert "Would delete 1" in out.getvalue()
    assert SignInAttempt.objects.count() == 2

    call_command("purge_signin_audit", stdout=io.StringIO())
    assert list(SignInAttempt.objects.all()) == [recent]
    assert not SignInAttempt.objects.filter(pk=old.pk).exists()


def test_retention_defaults_to_a_year():
    from medborgarlofte import settings as production

    assert production.SIGNIN_AUDIT_RETENTION_DAYS == 365


@pytest.fixture
def verified_client(client, settings):
    settings.REQUIRE_2FA = False
    return client


def test_superuser_sees_the_audit_trail_read_only(verified_client, staff):
    SignInAttempt.objects.create(username="kommunpolis", success=False)
    superuser = UserFactory(username="rikspolis", is_superuser=True)
    superuser.save()
    verified_client.force_login(superuser)
    response = verified_client.get("/admin/accounts/signinattempt/")
    assert response.status_code == 200
    assert "kommunpolis" in response.text
    attempt = SignInAttempt.objects.filter(username="kommunpolis").first()
    change = verified_client.get(f"/admin/accounts/signinattempt/{attempt.pk}/change/")
    assert change.status_code == 200
    assert 'name="username"' not in change.text
    assert verified_client.get("/admin/accounts/signinattempt/add/").status_code == 403
    delete_url = f"/admin/accounts/signinattempt/{attempt.pk}/delete/"
    assert verified_client.post(delete_url, {"post": "yes"}).status_code == 403


def test_other_staff_cannot_see_the_audit_trail(verified_client, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_signinattempt"))
    verified_client.force_login(staff)
    assert verified_client.get("/admin/accounts/signinattempt/").status_code == 403
    assert "signinattempt" not in verified_client.get("/admin/").text


def test_rotating_forwarded_for_from_a_peer_that_is_no_proxy_is_locked_out(
    fast_password_hashing, staff, settings
):
    """The attack: gunicorn reached directly (not through nginx), a new X-Forwarded-For on
    every wrong password. The peer is not in FORWARDED_ALLOW_IPS, so the header is ignored
    and the lock-out counts the peer's own address."""
    settings.NUM_PROXIES = 1
    settings.FORWARDED_ALLOW_IPS = [PROXY]
    statuses = []
    for n in range(12):
        response = Client().post(
            "/admin/login/",
            {"username": "kommunpolis", "password": f"fel-lösenord-{n}", "next": "/admin/"},
            REMOTE_ADDR=ADDRESS_A,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
        statuses.append(response.status_code)
    # AXES_FAILURE_LIMIT (5): the fifth wrong password locks, and every one after it.
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429] * 8
    # Even the right password, with yet another forged address, is refused meanwhile.
    locked = Client().post(
        "/admin/login/",
        {"username": "kommunpolis", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR=ADDRESS_A,
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert locked.status_code == 429
    assert {row.ip_hash for row in SignInAttempt.objects.all()} <= {hash_ip(ADDRESS_A)}


def test_forwarded_for_is_read_from_a_listed_proxy_network(rf, settings):
    settings.NUM_PROXIES = 1
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.0/8"]
    forwarded = rf.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(forwarded) == "203.0.113.5"
    direct = rf.get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(direct) == "198.51.100.7"
    # A unix socket's peer is no address: its permissions are the boundary, as for gunicorn.
    unix = rf.get("/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(unix) == "203.0.113.5"
    settings.FORWARDED_ALLOW_IPS = ["*"]
    assert client_ip(direct) == "203.0.113.5"
