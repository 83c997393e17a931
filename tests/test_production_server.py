"""Security headers and cookies, checked against a real production gunicorn.

The test prepares a throwaway SQLite database and collected static files, starts gunicorn
with `gunicorn.conf.py` (one worker, a free loopback port, DEBUG off) and talks to it as the
TLS-terminating proxy would (X-Forwarded-Proto: https). gunicorn is always stopped.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest

from tests.urlwalk import FormParser, public_urls

BASE_DIR = Path(__file__).resolve().parent.parent
GUNICORN = BASE_DIR / ".venv" / "bin" / "gunicorn"
STARTUP_TIMEOUT = 30
ADMIN_PASSWORD = "ett-långt-testlösenord-för-gunicorn"

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn not installed")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path, port):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEBUG", "DJANGO_", "SECURE_", "REQUIRE_2FA", "PYTEST"))
    }
    env.update(
        SECRET_KEY="gunicorn-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        GUNICORN_THREADS="2",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=120,
        capture_output=True,
    )


class Server:
    def __init__(self, port):
        self.port = port
        self.cookies = SimpleCookie()

    def request(self, method, path, *, body=None, headers=None, https=True, timeout=10):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        all_headers = {"Host": f"127.0.0.1:{self.port}"}
        if https:
            all_headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        all_headers.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            response.body = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = production_env(tmp_path, port)
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference_data")
    manage(env, "collectstatic", "--noinput")
    manage(env, "createsuperuser", "--noinput", "--username", "rikspolis", "--email", "r@x.se")
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(GUNICORN), "medborgarlofte.wsgi:application", "-c", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited: {(tmp_path / 'gunicorn.log').read_text()}")
            try:
                if Server(port).get("/healthz", https=False, timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("gunicorn did not answer within the timeout")
            time.sleep(0.2)
        yield Server(port)
    finally:
        # The whole process group: the arbiter and its worker.
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        log.close()


def assert_security_headers(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    hsts = headers["Strict-Transport-Security"]
    assert re.match(r"max-age=31536000\b", hsts)
    assert "includeSubDomains" in hsts
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/om/", 200),
        ("/kommun/kungalv/", None),
        ("/finns-inte/", 404),
        ("/admin/login/", 200),
    ],
)
def test_security_headers(server, path, status):
    response = server.get(path)
    if status is not None:
        assert response.status == status
    assert response.status < 500
    assert_security_headers(response)


def test_plain_http_is_redirected_to_https(server):
    response = server.get("/om/", https=False)
    assert response.status == 301
    assert response.headers["Location"] == f"https://127.0.0.1:{server.port}/om/"


def test_static_files_carry_the_same_security_headers_as_pages(server):
    page = server.get("/").body.decode()
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', page)
    assert stylesheet, "hashed stylesheet not linked"
    response = server.get(stylesheet[1])
    assert response.status == 200
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/", "/healthz", "/finns-inte/", "/static/favicon.svg"])
def test_no_server_software_or_version_is_named(server, path):
    response = server.get(path)
    assert "gunicorn" not in response.headers.get("Server", "").lower()
    assert not re.search(r"\d", response.headers.get("Server", ""))


def cookie_attributes(response, name):
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return [part.strip().lower() for part in header.split(";")[1:]]
    raise AssertionError(f"no {name} cookie in {response.headers.get_all('Set-Cookie')}")


def test_cookies_are_secure_httponly_samesite_and_host_prefixed(server):
    server.cookies.clear()
    login_page = server.get("/admin/login/")
    assert login_page.status == 200
    csrf = cookie_attributes(login_page, "__Host-csrftoken")
    assert "secure" in csrf
    assert "httponly" in csrf
    assert "samesite=lax" in csrf
    # __Host- cookies must have Path=/ and no Domain, or browsers reject them.
    assert "path=/" in csrf
    assert not any(part.startswith("domain=") for part in csrf)

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.body.decode())[1]
    body = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": "rikspolis",
            "password": ADMIN_PASSWORD,
            "next": "/admin/",
        }
    )
    response = server.request(
        "POST",
        "/admin/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{server.port}",
            "Referer": f"https://127.0.0.1:{server.port}/admin/login/",
        },
    )
    assert response.status == 302, response.body[:500]
    session = cookie_attributes(response, "__Host-sessionid")
    assert "secure" in session
    assert "httponly" in session
    assert "samesite=lax" in session
    assert "path=/" in session
    assert not any(part.startswith("domain=") for part in session)

    # The language choice is a cookie too. The switch carries no CSRF token (so that public
    # pages are the same for everyone and can be cached): a forged post only switches language.
    assert "csrfmiddlewaretoken" not in server.get("/").body.decode()
    language = server.request(
        "POST",
        "/i18n/setlang/",
        body=urlencode({"language": "en", "next": "/om/"}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{server.port}",
        },
    )
    assert language.status == 302
    attributes = cookie_attributes(language, "__Host-language")
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= set(attributes)

    # Signed in with the password only: no admin before the second factor.
    admin = server.get("/admin/")
    assert admin.status == 302
    assert admin.headers["Location"].startswith("/konto/tvastegsverifiering/aktivera/")
    enrol = server.get(admin.headers["Location"])
    assert enrol.status == 200
    assert b'<svg class="qr-code"' in enrol.body
    assert_security_headers(enrol)
    assert "no-store" in enrol.headers["Cache-Control"]


HOSTILE_QUERIES = [
    "q=%00",
    "q=" + "A" * 8000,
    "q=%",
    "q=%zz%e4%ff%fe",
    "q=%C3%28",
    "q=" + quote("' OR 1=1 --"),
    "q=" + quote("<script>alert(1)</script>"),
    "q=a&q=b&q=c&" + "&".join(f"k{i}=v" for i in range(200)),
    "page=-1&page=99999999999999999999999&sort=__class__",
    "next=//evil.example&language=xx",
    "=&&&==&%26=%3D",
    "q[]=1&q[a]=2&__proto__=x",
]


def test_hostile_query_strings_never_give_a_5xx(server):
    failures = []
    for url in public_urls():
        for query in HOSTILE_QUERIES:
            response = server.get(f"{url}?{query}")
            if response.status >= 500:
                failures.append((url, query[:60], response.status))
    assert not failures


HOSTILE_VALUES = [
    "\x00",
    "x" * 20000,
    "' OR '1'='1' --",
    '"><script>alert(1)</script>',
    "{{ settings.SECRET_KEY }}",
    "-1",
    "99999999999999999999999",
    "2026-02-30",
    "😀ÅÄÖ",
    "",
]


def test_hostile_posts_to_every_form_never_give_a_5xx(server):
    """Every POST form found on every public page, with a valid CSRF token, as a browser."""
    failures = []
    origin = f"https://127.0.0.1:{server.port}"
    for url in public_urls():
        server.cookies.clear()
        page = server.get(url)
        html = page.body.decode("utf-8", "replace")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        parser = FormParser()
        parser.feed(html)
        targets = [(url, ["q", "text", "email", "next"])]
        targets += [(form["action"] or url, list(form["fields"])) for form in parser.forms]
        for action, fields in targets:
            for value in HOSTILE_VALUES:
                data = dict.fromkeys(fields, value)
                data["extra"] = value
                if token:
                    data["csrfmiddlewaretoken"] = token[1]
                response = server.request(
                    "POST",
                    action,
                    body=urlencode(data),
                    headers={
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Origin": origin,
                        "Referer": origin + url,
                    },
                )
                if response.status >= 500:
                    failures.append((url, action, value[:20], response.status))
    assert not failures
