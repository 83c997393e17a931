import pytest

from pledges.models import Municipality

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/", "/om/", "/tillganglighet/", "/personuppgifter/"])
def test_site_pages_have_no_axe_violations(page, assert_accessible, reference_data, path):
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert_accessible(page)


def test_no_horizontal_scroll_at_360px(page, reference_data):
    page.goto("/")
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_skip_link_moves_focus_to_main(page, reference_data):
    page.goto("/om/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Hoppa till innehållet" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_search_works_without_javascript(nojs_page, reference_data):
    # One match goes straight to the kommun; several give a list.
    nojs_page.goto("/")
    nojs_page.fill("#q", "trollhattan")
    nojs_page.click("form.search-form button[type=submit]")
    url = Municipality.objects.get(name="Trollhättan").get_absolute_url()
    assert nojs_page.url.endswith(url)
    nojs_page.goto("/")
    nojs_page.fill("#q", "köping")
    nojs_page.click("form.search-form button[type=submit]")
    assert nojs_page.locator("#results-heading + ul a").count() > 1


def test_language_switch_without_javascript(nojs_page, reference_data):
    nojs_page.goto("/om/")
    nojs_page.select_option("#language", "en")
    nojs_page.click(".language-form button")
    assert nojs_page.locator("html").get_attribute("lang") == "en"


def test_axe_harness_catches_a_violation(page, axe):
    # Guards the harness itself: a page with an unlabelled input must not pass.
    page.set_content('<html lang="sv"><title>t</title><main><input type="text"></main></html>')
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a"]}})
    assert "label" in {v["id"] for v in results.response["violations"]}
