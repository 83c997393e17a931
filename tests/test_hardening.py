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
