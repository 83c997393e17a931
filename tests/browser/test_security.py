"""The admin and the two-factor pages under the strict CSP, in a real Chromium."""

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery-staple"


def collect_csp_violations(page):
    violations = []

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            violations.append(text)

    page.on("console", on_console)
    return violations


def sign_in_with_second_factor(page, assert_accessible, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/konto/tvastegsverifiering/aktivera/**")
    assert page.locator("svg.qr-code").count() == 1
    assert_accessible(page)
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    page.fill("#id_token", token)
    page.click("form.token-form button[type=submit]")
    assert page.locator("ul.backup-codes li").count() == 10
    assert_accessible(page)
    page.click("text=Fortsätt")
    page.wait_for_url("**/admin/")


def test_admin_works_under_strict_csp_after_two_factor(page, assert_accessible, settings):
    settings.REQUIRE_2FA = True
    user = UserFactory(username="rikspolis", is_superuser=True)
    user.save()
    Group.objects.create(name="Kommunpoliser")
    violations = collect_csp_violations(page)

    sign_in_with_second_factor(page, assert_accessible, "rikspolis")
    assert page.locator("#site-name").count() == 1

    # A changelist with filters and actions, a change form with a two-pane selector
    # (SelectFilter, built by the admin's JavaScript) and the audit trail's date hierarchy.
    page.goto("/admin/auth/user/")
    page.locator("#action-toggle").check()
    assert page.locator(".action-counter").inner_text().startswith("1 av 1")
    page.goto(f"/admin/auth/user/{user.pk}/change/")
    assert page.locator("#id_groups_from").count() == 1
    page.goto("/admin/auth/group/add/")
    page.fill("#id_name", "Samordnare")
    page.locator("#id_permissions_from option").first.dblclick()
    assert page.locator("#id_permissions_to option").count() == 1
    page.click("input[name=_save]")
    assert Group.objects.filter(name="Samordnare", permissions__isnull=False).exists()
    page.goto("/admin/accounts/signinattempt/")
    assert page.locator("#result_list").count() == 1

    assert violations == []


def test_verify_page_is_accessible(page, assert_accessible, settings):
    settings.REQUIRE_2FA = True
    user = UserFactory(username="samordnare", is_superuser=True)
    user.save()
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "samordnare")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/konto/tvastegsverifiering/?**")
    assert_accessible(page)
    page.fill("#id_token", "000000")
    page.click("form.token-form button[type=submit]")
    assert "Koden stämmer inte" in page.locator(".error").inner_text()
    assert_accessible(page)
