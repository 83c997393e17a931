"""The löfte pages in a real browser: axe, JavaScript off, a 360 px wide phone."""

import datetime

import pytest

from tests import factories as f
from tests.problem_factories import IndicatorFactory, IndicatorValueFactory, ProblemFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pages():
    """A running Kungälv-like löfte with activities and an example, an ended Lysekil-like
    löfte with outcomes, and Ale without a löfte; returns the URLs to check."""
    kungalv = f.MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    ale = f.MunicipalityFactory(name="Ale", slug="ale", code="1440")
    area = f.PoliceAreaFactory(
        name="Kungälv/Ale", slug="kungalv-ale", municipalities=[kungalv, ale]
    )
    pledge, patrols, controls, _ = f.kungalv_like_pledge(
        municipality=kungalv, police_area=area, slug="2026-2027"
    )
    for index in range(30):
        f.ActivityFactory(
            commitment=patrols,
            date=pledge.start_date + datetime.timedelta(days=index * 5),
            description=f"Fotpatrullering kvällstid nummer {index}.",
            is_example=True,
        )
    f.SignatoryFactory(pledge=pledge, name="Miguel Odhner")
    f.ContactFactory(pledge=pledge, name="Anna Kommunpolis")
    f.FollowUpNoteFactory(follow_up__pledge=pledge, commitment=patrols)
    # The problem picture with an indicator's chart and table, and a problem without one.
    problem = ProblemFactory(pledge=pledge, title="Otrygghet på torget", commitments=[patrols])
    ProblemFactory(pledge=pledge, title="Narkotika")
    indicator = IndicatorFactory(municipality=kungalv, problems=[problem])
    for year, value in ((2023, 31), (2025, 27)):
        IndicatorValueFactory(
            indicator=indicator, period=datetime.date(year, 1, 1), value=value, is_example=True
        )
    lysekil = f.MunicipalityFactory(name="Lysekil", slug="lysekil", code="1484")
    ended, *_ = f.lysekil_like_pledge(municipality=lysekil, slug="2021-2022")
    return {
        "kommun": "/kommun/kungalv/",
        "lofte": ended.get_absolute_url(),
        "atagande": patrols.get_absolute_url(),
        "atagande-sida-2": patrols.get_absolute_url() + "?sida=2",
        "lokalpolisomrade": area.get_absolute_url(),
        "kommun-utan-lofte": "/kommun/ale/",
    }


@pytest.mark.parametrize(
    "name",
    ["kommun", "lofte", "atagande", "atagande-sida-2", "lokalpolisomrade", "kommun-utan-lofte"],
)
def test_pledge_pages_have_no_axe_violations_and_fit_360px(page, assert_accessible, pages, name):
    response = page.goto(pages[name])
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_example_notice_is_visible(page, pages):
    page.goto(pages["kommun"])
    notice = page.locator(".notice-example")
    assert notice.is_visible()
    assert "exempel" in notice.inner_text()


def test_commitment_page_works_without_javascript(nojs_page, pages):
    nojs_page.goto(pages["atagande"])
    assert nojs_page.locator("svg[role=img] title").count() == 1
    assert nojs_page.locator("table tbody tr").count() > 1
    assert nojs_page.locator(".activity-list li").count() == 25
    nojs_page.click("a[rel=next]")
    assert "sida=2" in nojs_page.url
    assert nojs_page.get_by_text("Sida 2 av 2").is_visible()
    nojs_page.click("text=Tillbaka till hela löftet")
    assert nojs_page.locator("h1").inner_text() == "Trygg i Kungälv"
