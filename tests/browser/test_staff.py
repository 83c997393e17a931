"""Staff pages in the browser: axe on /personal/registrera/ and logging at phone width."""

import pytest

from pledges.models import Activity

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fast_password_hashing"),
]


def _log_in(page, user, live_server):
    """Logs the browser in through the admin login form, as a person would."""
    user.set_password("correct-horse-battery-staple")
    user.save()
    page.goto("/admin/login/?next=/personal/registrera/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "correct-horse-battery-staple")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/personal/registrera/")


def test_register_page_has_no_axe_violations(
    page, assert_accessible, live_server, staff_world, personas
):
    _log_in(page, personas["police"], live_server)
    page.goto("/personal/registrera/")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_import_page_has_no_axe_violations(
    page, assert_accessible, live_server, staff_world, personas
):
    _log_in(page, personas["police"], live_server)
    page.goto("/personal/importera/")
    assert_accessible(page)


def test_log_an_activity_at_phone_width(page, live_server, staff_world, personas):
    _log_in(page, personas["police"], live_server)
    page.goto("/personal/registrera/")
    page.select_option("select[name=commitment]", str(staff_world.ours["commitment"].pk))
    page.fill("input[name=quantity]", "2")
    page.fill("input[name=place]", "Nordmannatorget")
    page.fill("textarea[name=description]", "Fotpatrullering kvällstid.")
    page.get_by_role("button", name="Spara insatsen").click()
    page.wait_for_url("**/personal/registrera/")
    assert page.locator(".message-success").count() == 1
    assert page.get_by_text("Nordmannatorget").count() >= 1
    assert Activity.objects.filter(place="Nordmannatorget", quantity=2).exists()
    assert_list = page.locator(".entry-list li")
    assert assert_list.count() == 1
    overflows_horizontally = page.evaluate(
        "document.documentElement.scrollWidth > window.innerWidth"
    )
    assert overflows_horizontally is False
