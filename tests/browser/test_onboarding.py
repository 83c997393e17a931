"""A new kommunpolis from nothing to a logged activity, as the people involved would do it."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from pledges.models import Activity
from tests.factories import (
    CommitmentFactory,
    MunicipalityFactory,
    PledgeFactory,
    PoliceAreaFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "ett-langt-losenord-2026"


def _token(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_national_admin_onboards_a_kommunpolis_who_logs_an_activity(browser, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A police area that is new to the portal, with a kommun and a running löfte.
    sodertalje = MunicipalityFactory(name="Södertälje", slug="sodertalje", code="0181")
    area = PoliceAreaFactory(
        name="Lokalpolisområde Södertälje", slug="sodertalje", municipalities=[sodertalje]
    )
    pledge = PledgeFactory(municipality=sodertalje, police_area=area, title="Södertälje 2026")
    commitment = CommitmentFactory(pledge=pledge, text="Trafikkontroller vid skolorna.")
    admin = UserFactory(username="nationell", is_superuser=True)
    admin.save()

    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/?next=/admin/")
    page.fill("input[name=username]", "nationell")
    page.fill("input[name=password]", "correct-horse-battery-staple")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.get_by_role("link", name="Ny personal").first.click()
    page.wait_for_url("**/ny-personal/")
    page.fill("input[name=first_name]", "Kim")
    page.fill("input[name=last_name]", "Polis")
    page.fill("input[name=email]", "kim.polis@polisen.se")
    page.get_by_label("Kommunpolis i ett lokalpolisområde").check()
    page.select_option("select[name=police_area]", str(area.pk))
    page.get_by_role("button", name="Skapa konto och skicka länk").click()
    page.wait_for_url("**/ny-personal/")
    assert page.get_by_text("Kontot för kim.polis@polisen.se är skapat").count() == 1
    context.close()

    # From here on the new user signs in as in production: two-factor is required.
    settings.REQUIRE_2FA = True
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/konto/losenord/\S+/)", mail.outbox[0].body).group(1)

    context = browser.new_context(
        viewport={"width": 360, "height": 800}, locale="sv-SE", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(link)
    page.get_by_label("Nytt lösenord:", exact=True).fill(PASSWORD)
    page.get_by_label("Bekräfta nytt lösenord:", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Spara lösenordet").click()
    page.wait_for_url("**/tvastegsverifiering/aktivera/**")

    device = TOTPDevice.objects.get(user__email="kim.polis@polisen.se", confirmed=False)
    page.fill("input[name=token]", _token(device))
    page.get_by_role("button", name="Aktivera").click()
    page.get_by_role("heading", name="Dina reservkoder").wait_for()

    page.goto("/personal/registrera/")
    page.select_option("select[name=commitment]", str(commitment.pk))
    page.fill("input[name=quantity]", "3")
    page.fill("input[name=place]", "Ronnaskolan")
    page.get_by_role("button", name="Spara insatsen").click()
    page.wait_for_url("**/personal/registrera/")
    activity = Activity.objects.get(place="Ronnaskolan")
    assert activity.quantity == 3
    assert activity.created_by.email == "kim.polis@polisen.se"
    assert activity.date == timezone.localdate()
    assert pledge.start_date <= activity.date <= pledge.start_date + datetime.timedelta(days=364)
    context.close()
