"""The map of löften and 'Bevaka löftet' in a real browser: axe, keyboard, no other
origin (the `page` fixture fails on any request that leaves the site), 360 and 1280 px."""

import datetime
import io
import re
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command

from alerts.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture(autouse=True)
def no_minimum_wait(settings):
    settings.SYNPUNKT_MIN_SECONDS = 0


@pytest.fixture(autouse=True)
def inside_trollhattans_loefte():
    """A day inside Trollhättan's seed löfte (2025–2026), so the tests do not age. The
    time trap and signed links use time.time(), which runs on."""
    day = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=day):
        yield


def test_home_map_is_accessible_and_links_every_kommun(page, assert_accessible, demo):
    page.goto("/")
    assert page.locator(".kommun-map svg a").count() == 290
    assert page.get_by_role("link", name="Trollhättan: aktuellt löfte").count() == 1
    assert page.get_by_role("link", name="Kungälv: löftet har gått ut, inget nytt").count() == 1
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False
    page.get_by_role("link", name="Trollhättan: aktuellt löfte").click()
    page.wait_for_url("**/kommun/trollhattan/")


def test_map_links_take_keyboard_focus(page, demo):
    page.goto("/")
    link = page.get_by_role("link", name="Trollhättan: aktuellt löfte")
    link.focus()
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/kommun/trollhattan/"
    page.keyboard.press("Enter")
    page.wait_for_url("**/kommun/trollhattan/")


def test_map_fits_a_wide_screen_beside_its_legend(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    page = context.new_page()
    page.goto(live_server.url + "/")
    svg = page.locator(".kommun-map > svg").bounding_box()
    legend = page.locator(".map-legend").bounding_box()
    assert 250 < svg["width"] <= 400
    assert legend["x"] > svg["x"] + svg["width"]  # beside the map, not under it
    context.close()


def test_police_area_map_is_accessible(page, assert_accessible, demo):
    from pledges.models import PoliceArea

    area = PoliceArea.objects.filter(municipalities__slug="kungalv").get()
    page.goto(area.get_absolute_url())
    assert page.locator(".kommun-map svg a").count() == area.municipalities.count()
    assert_accessible(page)


def test_follow_and_subscribe_by_email(page, assert_accessible, demo):
    page.goto("/kommun/trollhattan/")
    page.get_by_role("link", name="Så följer du löftet").click()
    page.wait_for_url("**/kommun/trollhattan/folj/")
    assert "/kommun/trollhattan/flode/" in page.locator(".feed-address").inner_text()
    assert_accessible(page)
    # The long feed address wraps at 360 px instead of widening the page.
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False

    page.get_by_role("link", name="Bevaka löftet med e-post").click()
    page.wait_for_url("**/kommun/trollhattan/bevaka/")
    assert_accessible(page)
    # A wrong address: the error summary, in Swedish, accessible, nothing saved.
    page.get_by_label("Din e-postadress").fill("inte-en-adress")
    page.get_by_role("button", name="Bevaka löftet").click()
    assert page.locator("#error-summary").is_visible()
    assert "giltig e-postadress" in page.locator("#error-summary").inner_text()
    assert_accessible(page)
    assert not Subscription.objects.exists()

    page.get_by_label("Din e-postadress").fill("anna@example.se")
    page.get_by_label("En gång om dagen").check()
    page.get_by_role("button", name="Bevaka löftet").click()
    page.wait_for_url("**/bevaka/skickat/")
    assert_accessible(page)
    assert len(mail.outbox) == 1
    path = re.search(r"https?://[^/\s]+(/bevaka/bekrafta/\S+/)", mail.outbox[0].body)[1]

    page.goto(path)
    assert_accessible(page)
    page.get_by_role("button", name="Ja, bevaka löftet").click()
    assert "Du bevakar nu medborgarlöftet i Trollhättan" in page.content()
    assert_accessible(page)
    subscription = Subscription.objects.get()
    assert subscription.is_confirmed and subscription.frequency == "daily"

    page.goto(f"/bevaka/avsluta/{subscription.token}/")
    assert_accessible(page)
    page.get_by_role("button", name="Avsluta bevakningen").click()
    assert "Din adress är borttagen" in page.content()
    assert not Subscription.objects.exists()
