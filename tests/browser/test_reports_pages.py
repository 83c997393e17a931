import pytest

# noqa: F401


pytestmark = pytest.mark.django_db(transaction=True)


def test_open_data_page_is_accessible(page, assert_accessible):
    page.goto("/oppna-data/")
    assert page.locator("h1").inner_text() == "Öppna data"
    assert_accessible(page)


def test_open_data_page_without_javascript(nojs_page):
    nojs_page.goto("/oppna-data/")
    assert nojs_page.get_by_role("link", name="Genomförda insatser (aktiviteter.csv)").count() == 1


def staff_login(page, user):
    user.set_password("correct-horse-battery-staple")
    user.save()
    page.goto("/admin/login/?next=/rapporter/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct-horse-battery-staple")
    page.click("input[type=submit]")
    page.wait_for_url("**/rapporter/")


def test_report_pages_are_accessible_for_staff(page, world, assert_accessible):
    staff_login(page, world["police_user"])
    assert page.locator("h1").inner_text() == "Uppföljningsrapporter"
    assert_accessible(page)
    page.select_option("#id_omfattning", f"lofte:{world['pledge'].pk}")
    page.select_option("#id_period", "hela")
    page.get_by_role("button", name="Visa rapporten").click()
    page.wait_for_url(f"**/rapporter/lofte/{world['pledge'].pk}/**")
    # The report is a document: the löfte's title as heading, what it is above it.
    assert page.locator("h1").inner_text() == "Trygg i Kungälv"
    assert page.locator(".doc-kicker").text_content() == "Uppföljning av medborgarlöfte"
    assert page.title().startswith("Uppföljning: Trygg i Kungälv")
    assert page.locator("#table-commitments tbody tr").count() == 3
    assert_accessible(page)
