import datetime
import re

import pytest
from django.conf import settings

from pledges.models import Municipality


@pytest.mark.parametrize("url", ["/om/", "/tillganglighet/", "/personuppgifter/"])
def test_site_pages_render_in_swedish_without_database(client, db, url, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert 'href="#main"' in response.text
    for footer_link in ("/om/", "/tillganglighet/", "/personuppgifter/"):
        assert f'href="{footer_link}"' in response.text


def test_accessibility_statement_names_supervisor_and_how_to_report(client, settings):
    settings.ACCESSIBILITY_ORGANISATION = "Exempelpolisen"
    settings.ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@example.se"
    text = client.get("/tillganglighet/").text
    assert "Exempelpolisen står bakom den här webbplatsen" in text
    assert 'href="mailto:tillganglighet@example.se"' in text
    assert '<a href="https://www.digg.se/tdosanmalan">' in text
    assert "Rapportera brister" in text
    assert "delvis förenlig" in text
    # Every known gap names its WCAG criterion.
    gaps = text.split("Innehåll som inte är tillgängligt")[1].split("</ul>")[0]
    items = gaps.split("<li>")[1:]
    assert len(items) >= 3
    assert all(re.search(r"WCAG \d\.\d+\.\d+", item) for item in items)
    assert "2.5.8" in gaps
    # How and when it was assessed; no claim that pages are checked when published.
    assert "Senaste bedömningen gjordes den 7 december 2026" in text
    assert "innan den publiceras" not in text
    # The synpunkt form is for unsafe places, not the route for accessibility feedback.
    assert "/synpunkt/" not in text


def test_accessibility_statement_without_a_contact_address(client, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    text = client.get("/tillganglighet/").text
    assert "mailto:" not in text
    assert "har ännu inte angett någon e-postadress" in text


def test_deploy_check_warns_without_an_accessibility_contact(settings):
    from sitepages.checks import accessibility_contact_is_set

    settings.ACCESSIBILITY_CONTACT_EMAIL = ""
    assert [warning.id for warning in accessibility_contact_is_set()] == ["sitepages.W001"]
    settings.ACCESSIBILITY_CONTACT_EMAIL = "a@example.se"
    assert accessibility_contact_is_set() == []


def test_privacy_page_describes_retention_and_rights(client):
    text = client.get("/personuppgifter/").text
    assert "12 månader" in text
    assert "Integritetsskyddsmyndigheten" in text


def test_home_lists_all_municipalities_by_county(client, reference_data, django_assert_num_queries):
    # The content versions (1); the national figures: kommuner with a current löfte (1), the
    # state of their commitments (1) and the number of kommuner (1), and with none current
    # the latest löfte of each kommun (1: home is never empty); the cached county list,
    # cold here: län and their kommuner (2); the map: its kommuner's versions and their
    # states (2). 1 + 4 + 2 + 2 = 9.
    with django_assert_num_queries(9):
        response = client.get("/")
    assert response.status_code == 200
    assert response.text.split('id="counties-heading"')[1].count('href="/kommun/') == 290
    assert "Västra Götalands län" in response.text
    assert 'href="/kommun/kungalv/"' in response.text


def test_home_lists_municipalities_in_swedish_order(client, reference_data):
    text = client.get("/").text
    stockholm = text[text.index("Stockholms län") : text.index("Uppsala län")]
    # Å, Ä and Ö sort after Z in Swedish: Vaxholm before Värmdö before Österåker.
    assert stockholm.index("Vaxholm") < stockholm.index("Värmdö") < stockholm.index("Österåker")


@pytest.mark.parametrize("query", ["kungalv", "Kungälv", "KUNGÄLV", "kungä"])
def test_search_forgives_missing_diacritics(client, reference_data, query):
    # One match goes straight to that kommun.
    response = client.get("/", {"q": query})
    assert response.status_code == 302
    assert response["Location"] == "/kommun/kungalv/"


def test_search_with_one_match_redirects_to_the_kommun(client, reference_data):
    response = client.get("/?q=trollhattan")
    assert response.status_code == 302
    assert response["Location"] == "/kommun/trollhattan/"


def test_search_results_page_says_what_was_searched(client, reference_data):
    response = client.get("/", {"q": "köping"})
    assert response.status_code == 200
    assert "<title>Sökresultat för ”köping”" in response.text
    assert "<h1>Sökresultat för ”köping”</h1>" in response.text
    results = response.text.split('id="results-heading"')[1].split("</section>")[0]
    assert 'href="/kommun/koping/"' in results and 'href="/kommun/linkoping/"' in results


def test_home_has_one_search_box(client, reference_data):
    text = client.get("/").text
    assert text.count('role="search"') == 1
    assert text.count('name="q"') == 1


def test_home_names_kommuner_with_a_current_pledge_before_the_county_list(client, reference_data):
    from tests import factories as f

    kungalv = Municipality.objects.get(slug="kungalv")
    f.PledgeFactory(municipality=kungalv)
    ended = f.PledgeFactory(
        municipality=Municipality.objects.get(slug="ale"),
        start_date=datetime.date(2017, 1, 1),
        end_date=datetime.date(2017, 12, 31),
    )
    assert ended.has_ended()
    text = client.get("/").text
    top, counties = text.split('id="counties-heading"')
    # The named list only: the map after it links every kommun.
    current = top.split('id="current-heading"')[1].split("</ul>")[0]
    assert 'href="/kommun/kungalv/"' in current and 'href="/kommun/ale/"' not in current
    # Marked in the län list with words, not colour alone.
    assert '<a href="/kommun/kungalv/">Kungälv</a> <strong class="tag-current">aktuellt löfte' in (
        counties
    )
    assert '<a href="/kommun/ale/">Ale</a></li>' in counties


def test_search_with_no_match_says_so(client, reference_data):
    response = client.get("/", {"q": "Atlantis"})
    assert "Ingen kommun hittades" in response.text


def test_search_with_hostile_input_is_escaped(client, reference_data):
    response = client.get("/", {"q": "<script>alert(1)</script>' OR 1=1 --"})
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.text


def test_unknown_page_is_a_swedish_404(client, db):
    response = client.get("/kommun/finns-inte/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text


def test_healthz_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.text == "ok\n"


def test_healthz_503_when_database_is_down(db, rf, monkeypatch):
    from sitepages.views import healthz

    # The health query fails as a database that does not answer would: with a
    # DatabaseError inside the check's transaction.
    monkeypatch.setattr("sitepages.views.HEALTH_QUERY", "SELECT * FROM no_such_table")
    response = healthz(rf.get("/healthz"))
    assert response.status_code == 503


def test_language_switch_to_english(client, reference_data):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/om/"})
    assert response.status_code == 302
    response = client.get("/om/")
    assert '<html lang="en">' in response.text
    assert "What is a" in response.text


def test_security_headers_on_every_response(client, db):
    response = client.get("/om/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in response.headers["Permissions-Policy"]


def test_production_settings_send_hsts_over_https(client, db):
    response = client.get("/om/", secure=True)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_settings_redirect_http_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/om/")
    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


def test_no_third_party_resources_in_base_layout(client, reference_data):
    text = client.get("/").text
    for needle in ('src="http', 'href="http', "//cdn", "fonts.googleapis"):
        assert needle not in text


def test_municipality_slug_is_ascii(reference_data):
    assert Municipality.objects.get(name="Kungälv").slug == "kungalv"
    assert Municipality.objects.get(name="Trollhättan").slug == "trollhattan"


def test_swedish_even_when_the_browser_prefers_english(client, db):
    response = client.get("/om/", headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="sv">' in response.text
    assert "Cookie" in response.headers["Vary"]


def test_unknown_language_cookie_falls_back_to_swedish(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="sv">' in client.get("/om/").text


@pytest.mark.parametrize(
    "template", ["400.html", "403_csrf.html", "413.html", "500.html", "503.html"]
)
def test_standalone_error_pages_share_one_head(template):
    from django.template.loader import render_to_string

    html = render_to_string(template)
    assert '<html lang="sv">' in html
    assert 'name="viewport"' in html
    assert "css/site.css" in html
    assert 'class="site-header"' in html
    assert 'href="/">Till startsidan</a>' in html
