import pytest
from django.conf import settings
from django.db import DatabaseError

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


def test_accessibility_statement_names_supervisor_and_how_to_report(client):
    text = client.get("/tillganglighet/").text
    assert "Digg" in text
    assert "Rapportera brister" in text
    assert "Kända brister" in text


def test_privacy_page_describes_retention_and_rights(client):
    text = client.get("/personuppgifter/").text
    assert "12 månader" in text
    assert "Integritetsskyddsmyndigheten" in text


def test_home_lists_all_kommuner_by_county(client, reference_data, django_assert_num_queries):
    # The content versions (1), län with kommuner (2) and the national figures: kommuner
    # with a current löfte and the state of their commitments (2), all kommuner (1).
    with django_assert_num_queries(6):
        response = client.get("/")
    assert response.status_code == 200
    assert response.text.count('href="/kommun/') == 290
    assert "Västra Götalands län" in response.text
    assert 'href="/kommun/kungalv/"' in response.text


def test_home_lists_kommuner_in_swedish_order(client, reference_data):
    text = client.get("/").text
    stockholm = text[text.index("Stockholms län") : text.index("Uppsala län")]
    # Å, Ä and Ö sort after Z in Swedish: Vaxholm before Värmdö before Österåker.
    assert stockholm.index("Vaxholm") < stockholm.index("Värmdö") < stockholm.index("Österåker")


@pytest.mark.parametrize("query", ["kungalv", "Kungälv", "KUNGÄLV", "kungä"])
def test_search_forgives_missing_diacritics(client, reference_data, query):
    response = client.get("/", {"q": query})
    assert response.status_code == 200
    results = response.text.split('id="results-heading"')[1].split("</section>")[0]
    assert 'href="/kommun/kungalv/"' in results
    assert "1 kommun matchar" in results


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


def test_healthz_503_when_database_is_down(rf, monkeypatch):
    from medborgarlofte.views import healthz

    def broken_cursor(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("medborgarlofte.views.connection.cursor", broken_cursor)
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
