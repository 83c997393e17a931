import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=a%00b", "%00=x", "q=ok&next=%00"])
def test_null_character_in_query_string_is_a_swedish_400(client, query):
    response = client.get("/", QUERY_STRING=query)
    assert response.status_code == 400
    assert "Felaktig begäran" in response.text


@pytest.mark.django_db
def test_null_character_in_urlencoded_post_is_a_400(client):
    response = client.post(
        "/i18n/setlang/", "language=sv%00", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_ordinary_query_passes(client):
    assert client.get("/", {"q": "Kungälv"}).status_code == 200


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_database_down_in_a_view_gives_swedish_503_with_retry_after(db, monkeypatch, error):
    def broken(*args, **kwargs):
        raise error("could not connect to server: Connection refused")

    monkeypatch.setattr("pledges.views.County.objects.with_municipalities", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert "Tjänsten är tillfälligt otillgänglig" in response.text
    assert "Traceback" not in response.text
    assert "Connection refused" not in response.text
    assert "Content-Security-Policy" in response.headers


def test_database_down_outside_a_view_gives_503_too(db, monkeypatch):
    # E.g. a middleware loading the session: no view, so handler500 must answer 503.
    monkeypatch.setattr(
        "core.middleware.DatabaseUnavailableMiddleware.process_exception",
        lambda *args: None,
    )

    def broken(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    client = Client(raise_request_exception=False)
    client.cookies["__Host-sessionid"] = "x" * 32
    response = client.get("/admin/login/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"


def test_other_errors_stay_500(db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("pledges.views.County.objects.with_municipalities", broken)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 500
    assert "Ett fel har uppstått" in response.text


# --- Health checks by address -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["127.0.0.1:8000", "10.0.0.7", "anything.example:6666"])
def test_healthz_answers_whatever_the_host(settings, host):
    """A load balancer or compose probes by address; the answer reveals nothing."""
    settings.ALLOWED_HOSTS = ["medborgarlofte.example.se"]
    response = Client().get("/healthz", HTTP_HOST=host)
    assert response.status_code == 200
    assert response.text == "ok\n"
    # Every other page still checks the Host.
    assert Client().get("/om/", HTTP_HOST=host).status_code == 400


# --- Absolute links from SITE_URL -------------------------------------------------------


@pytest.fixture
def published(db):
    from tests.factories import (
        ActivityFactory,
        CommitmentFactory,
        MunicipalityFactory,
        PledgeFactory,
    )

    municipality = MunicipalityFactory(name="Kungälv", slug="kungalv", code="1482")
    pledge = PledgeFactory(municipality=municipality)
    ActivityFactory(commitment=CommitmentFactory(pledge=pledge))
    return municipality


@pytest.mark.parametrize(
    "path",
    ["/flode/", "/kommun/kungalv/flode/", "/api/v1/", "/api/v1/ataganden/", "/oppna-data/"],
)
def test_a_host_with_a_port_never_reaches_a_cached_pages_links(published, settings, path):
    """The attack: `Host: <site>:6666` passes Django's host check (which ignores the port),
    and the cached national feed kept its `:6666` links for every later visitor."""
    settings.SITE_URL = "https://medborgarlofte.example.se"
    attacker = Client().get(path, HTTP_HOST="testserver:6666")
    visitor = Client().get(path)
    assert attacker.status_code == visitor.status_code == 200
    for response in (attacker, visitor):
        body = response.content.decode()
        assert "6666" not in body
        assert "testserver" not in body
        assert "https://medborgarlofte.example.se/" in body


# --- No 500 on hostile input ------------------------------------------------------------

NOT_ASCII_DIGITS = ["²", "١٢", "１", "abc", "99999999999999999999999"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_api_detail_takes_ascii_digits_only(value):
    from reports.resources import RESOURCES

    client = Client(raise_request_exception=False)
    for resource in RESOURCES:
        response = client.get(f"/api/v1/{resource.name}/{value}/")
        assert response.status_code == 404, (resource.name, response.status_code)


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_a_follow_up_id_that_is_no_number_is_a_400(login_as, staff_world, personas, value):
    client = login_as(personas["superuser"])
    pledge = staff_world.ours["pledge"]
    response = client.get(f"/rapporter/lofte/{pledge.pk}/", {"uppfoljning": value})
    assert response.status_code == 400


def test_admin_history_of_an_id_that_is_no_number_is_refused(login_as, staff_world, personas):
    from django.contrib import admin

    client = Client(raise_request_exception=False)
    client.force_login(personas["superuser"])
    failures = {}
    for model in admin.site._registry:
        opts = model._meta
        for value in ("abc", "²"):
            url = f"/admin/{opts.app_label}/{opts.model_name}/{value}/history/"
            status = client.get(url).status_code
            # 404, or Django's own "does not exist" redirect for unscoped tables.
            if status not in (302, 404):
                failures[url] = status
    assert failures == {}


@pytest.mark.django_db
def test_an_over_long_username_is_refused_before_axes_stores_it():
    from axes.models import AccessAttempt

    client = Client(raise_request_exception=False)
    for content in ("urlencoded", "multipart"):
        data = {"username": "u" * 300, "password": "fel", "next": "/admin/"}
        if content == "urlencoded":
            from urllib.parse import urlencode

            response = client.post(
                "/admin/login/", urlencode(data), content_type="application/x-www-form-urlencoded"
            )
        else:
            response = client.post("/admin/login/", data)
        assert response.status_code == 400
        assert "Felaktig begäran" in response.text
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-7",
        "application/x-www-form-urlencoded; charset=utf-16",
        "multipart/form-data; boundary=x; charset=utf-7",
    ],
)
def test_a_body_in_another_charset_is_a_400(content_type):
    response = Client(raise_request_exception=False).post(
        "/i18n/setlang/", b"language=+2D3-&next=/", content_type=content_type
    )
    assert response.status_code == 400
    assert "Felaktig begäran" in response.text


@pytest.mark.django_db
def test_bytes_that_are_not_utf8_in_a_form_post_are_a_400():
    response = Client(raise_request_exception=False).post(
        "/i18n/setlang/",
        b"language=\xff\xfe&next=/",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_utf8_form_post_still_passes():
    response = Client().post(
        "/i18n/setlang/",
        "language=en&next=/om/",
        content_type="application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 302


# --- The page cache and a made-up session cookie ---------------------------------------


@pytest.mark.parametrize("cookie", ["x", "a" * 32, "0123456789abcdefghijklmnopqrstuv"])
def test_a_session_cookie_naming_no_session_still_gets_the_cached_page(
    published, cookie, django_assert_num_queries
):
    """The attack: any visitor skipped the page cache with a bogus session cookie (240
    requests a second against 1,274). A cookie that names no session counts as none."""
    from django.conf import settings

    Client().get("/kommun/kungalv/")  # made and kept
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    well_formed = len(cookie) == 32
    # The versions, and the session's lookup for a cookie that could be a key.
    with django_assert_num_queries(2 if well_formed else 1):
        response = client.get("/kommun/kungalv/")
    assert response.status_code == 200
    assert "private" not in response["Cache-Control"]


def test_a_signed_in_users_page_is_still_made_for_them(published, admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.get("/kommun/kungalv/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
