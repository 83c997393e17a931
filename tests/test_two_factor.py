import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory as _UserFactory

pytestmark = pytest.mark.django_db


def UserFactory(**kwargs):  # noqa: N802
    # The shared factory sets the password without saving it (skip_postgeneration_save),
    # so force_login's session hash would not match the stored user: save it.
    user = _UserFactory(**kwargs)
    user.save()
    return user


def current_token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


@pytest.fixture
def staff(settings):
    settings.REQUIRE_2FA = True
    return UserFactory(username="kommunpolis", is_superuser=True)


def test_require_2fa_is_on_in_production_settings(settings):
    # The test run uses production settings (DEBUG off): the default must be on.
    from medborgarlofte import settings as production

    assert production.REQUIRE_2FA is True


def test_staff_without_second_factor_is_sent_to_enrol(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/aktivera/?next=")
    # Every protected area, not just the admin index.
    for path in ("/admin/pledges/pledge/", "/personal/", "/rapporter/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/konto/tvastegsverifiering/" in response["Location"]


def test_staff_with_device_but_unverified_is_sent_to_verify(client, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    response = client.get("/admin/pledges/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/tvastegsverifiering/?next=%2Fadmin%2Fpledges%2F"


def test_enrolment_shows_qr_as_inline_svg_and_confirms_with_token(client, staff):
    client.force_login(staff)
    response = client.get("/konto/tvastegsverifiering/aktivera/?next=/admin/")
    assert response.status_code == 200
    text = response.text
    assert '<svg class="qr-code" role="img"' in text
    assert "style=" not in text.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "<script" not in text
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert device.config_url.startswith("otpauth://totp/")

    bad = client.post(
        "/konto/tvastegsverifiering/aktivera/", {"token": "000000", "next": "/admin/"}
    )
    assert bad.status_code == 400
    assert "Koden stämmer inte" in bad.text
    assert client.get("/admin/").status_code == 302

    # A failed attempt throttles the device for a second (brute-force protection).
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        "/konto/tvastegsverifiering/aktivera/", {"token": current_token(device), "next": "/admin/"}
    )
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = [t.token for t in StaticToken.objects.filter(device__user=staff)]
    assert len(codes) == 10
    for code in codes:
        assert code in response.text
    assert client.get("/admin/").status_code == 200


def test_enrolment_is_refused_once_a_device_exists(client, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    response = client.get("/konto/tvastegsverifiering/aktivera/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/tvastegsverifiering/?")
    assert not TOTPDevice.objects.filter(user=staff, confirmed=False).exists()


def test_valid_totp_token_lets_staff_into_admin(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    response = client.post(
        "/konto/tvastegsverifiering/", {"token": current_token(device), "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_wrong_token_is_refused_in_swedish(client, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    response = client.post("/konto/tvastegsverifiering/", {"token": "123456"})
    assert response.status_code == 400
    assert "Koden stämmer inte" in response.text
    assert client.get("/admin/").status_code == 302


def test_verify_does_not_redirect_off_site(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    client.force_login(staff)
    response = client.post(
        "/konto/tvastegsverifiering/",
        {"token": current_token(device), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/admin/"


def test_backup_code_works_once(client, staff):
    TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=staff, name="backup", confirmed=True)
    static.token_set.create(token="abcd1234")

    client.force_login(staff)
    response = client.post("/konto/tvastegsverifiering/", {"token": "abcd1234", "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200

    client.logout()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302
    response = client.post("/konto/tvastegsverifiering/", {"token": "abcd1234"})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_new_backup_codes_replace_the_old_ones(client, staff):
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    static = StaticDevice.objects.create(user=staff, name="backup", confirmed=True)
    static.token_set.create(token="oldcode1")
    client.force_login(staff)
    client.post("/konto/tvastegsverifiering/", {"token": current_token(device)})
    response = client.post("/konto/tvastegsverifiering/reservkoder/")
    assert response.status_code == 200
    assert not StaticToken.objects.filter(token="oldcode1").exists()
    assert StaticToken.objects.filter(device__user=staff).count() == 10


def test_setting_off_lets_staff_in_without_second_factor(client, settings):
    settings.REQUIRE_2FA = False
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("debug, expected", [(True, 200), (False, 302)])
def test_demo_accounts_exempt_only_with_debug(client, settings, debug, expected):
    settings.REQUIRE_2FA = True
    settings.DEBUG = debug
    client.force_login(UserFactory(username="admin", is_superuser=True))
    assert client.get("/admin/").status_code == expected


def test_other_accounts_not_exempt_with_debug(client, settings):
    settings.REQUIRE_2FA = True
    settings.DEBUG = True
    client.force_login(UserFactory(username="kommunpolis2", is_superuser=True))
    assert client.get("/admin/").status_code == 302


def test_public_pages_and_logout_not_affected(client, staff):
    client.force_login(staff)
    assert client.get("/om/").status_code == 200
    assert client.post("/admin/logout/").status_code == 200


def test_verify_page_requires_login(client, db):
    response = client.get("/konto/tvastegsverifiering/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_force_login_verified_helper_for_other_tests(client, staff):
    from tests.twofactor import force_login_verified

    force_login_verified(client, staff)
    assert client.get("/admin/").status_code == 200
