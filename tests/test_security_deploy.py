"""The production shape in docker-compose.yml and deploy/nginx.conf (issue: forged
X-Forwarded-* headers and one shared rate limit for every resident behind the proxy)."""

import http.client
import ipaddress
import os
import re
import shutil
import signal
import ssl
import subprocess
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def nginx_conf():
    text = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    return re.sub(r"#[^\n]*", "", text)


def directive(text, name):
    """Every value of an nginx directive, in order."""
    return re.findall(rf"(?m)^\s*{name}\s+([^;]+);", text)


def test_gunicorn_is_not_published_and_sees_one_proxy():
    web = compose()["services"]["web"]
    assert "ports" not in web, "gunicorn must be reachable only through the proxy"
    assert str(web["environment"]["NUM_PROXIES"]) == "1"


def test_gunicorn_trusts_forwarded_headers_only_from_the_proxy():
    services = compose()["services"]
    trusted = str(services["web"]["environment"]["FORWARDED_ALLOW_IPS"])
    assert "*" not in trusted
    networks = [ipaddress.ip_network(part.strip()) for part in trusted.split(",")]
    proxy_address = ipaddress.ip_address(services["proxy"]["networks"]["edge"]["ipv4_address"])
    assert all(network.num_addresses == 1 for network in networks), "only the proxy itself"
    assert any(proxy_address in network for network in networks)


def test_the_proxy_terminates_tls_with_our_config():
    proxy = compose()["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert "443:443" in proxy["ports"]
    assert any(v.startswith("./deploy/nginx.conf:/etc/nginx/nginx.conf") for v in proxy["volumes"])
    text = nginx_conf()
    assert "listen 443 ssl" in text
    # Debian 12's nginx (1.22) has no `http2 on;` (1.25.1).
    assert not directive(text, "http2")
    assert directive(text, "proxy_pass") == ["http://portal", "http://portal"]


def test_the_database_network_has_no_route_out():
    config = compose()
    assert config["networks"]["backend"]["internal"] is True
    assert config["services"]["db"]["networks"] == ["backend"]
    assert "ports" not in config["services"]["db"]


def test_nginx_overwrites_forwarded_headers_and_hides_its_version():
    text = nginx_conf()
    assert directive(text, "server_tokens") == ["off"]
    # Set from what nginx saw, never appended to what the client sent.
    assert set(directive(text, "proxy_set_header X-Forwarded-For")) == {"$remote_addr"}
    assert set(directive(text, "proxy_set_header X-Forwarded-Proto")) == {"$scheme"}


def seconds(value):
    match = re.fullmatch(r"(\d+)(s|m)?", value.strip())
    assert match, value
    return int(match[1]) * (60 if match[2] == "m" else 1)


def test_nginx_limits_body_size_and_time():
    text = nginx_conf()
    (body,) = directive(text, "client_max_body_size")
    assert body.strip() == "21m"  # the 20 MB PDF limit plus the form around it
    for name, most in [
        ("client_header_timeout", 15),
        ("client_body_timeout", 60),
        ("send_timeout", 60),
        ("proxy_read_timeout", 60),
        ("proxy_connect_timeout", 10),
    ]:
        (value,) = directive(text, name)
        assert seconds(value) <= most, name


def test_header_limits_of_nginx_and_gunicorn_agree():
    (buffers,) = directive(nginx_conf(), "large_client_header_buffers")
    count, size = buffers.split()
    assert size == "8k"
    config = {}
    exec((BASE_DIR / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own file
    # gunicorn takes what nginx lets through (8 kB with the line's end): never its own
    # bare English 400 or 414 for a line or header nginx passed on.
    assert config["limit_request_field_size"] == 8190
    assert config["limit_request_line"] == 8190
    assert config["limit_request_fields"] <= 100
    assert config["forwarded_allow_ips"] != "*"
    # No software name or version in gunicorn's Server header.
    from gunicorn.http import wsgi

    assert "gunicorn" not in wsgi.SERVER.lower()


def test_compose_sets_the_bind_and_the_proxy_boundary():
    web = compose()["services"]["web"]
    assert web["environment"]["GUNICORN_BIND"] == "0.0.0.0:8000"  # the internal networks
    assert web["environment"]["FORWARDED_ALLOW_IPS"]
    # The health check probes by address: /healthz answers whatever the Host.
    assert "http://127.0.0.1:8000/healthz" in " ".join(web["healthcheck"]["test"])


def gunicorn_config(monkeypatch, **env):
    for name in ("GUNICORN_BIND", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = {}
    exec((BASE_DIR / "gunicorn.conf.py").read_text(), config)  # noqa: S102 - our own file
    return config


def test_gunicorn_binds_the_loopback_unless_told_otherwise(monkeypatch):
    """Whoever reaches gunicorn directly was trusted as a proxy: by default only the
    loopback (nginx on the same host) can."""
    assert gunicorn_config(monkeypatch)["bind"] == "127.0.0.1:8000"
    assert gunicorn_config(monkeypatch, GUNICORN_BIND="unix:/run/mlo.sock")["bind"] == (
        "unix:/run/mlo.sock"
    )
    assert gunicorn_config(monkeypatch)["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_settings_read_the_proxies_gunicorn_trusts():
    from django.conf import settings

    assert settings.FORWARDED_ALLOW_IPS
    assert "*" not in settings.FORWARDED_ALLOW_IPS


# --- deploy/nginx.conf on the nginx of this machine (Debian 12's in CI) -------------------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """deploy/nginx.conf, started with a self-signed certificate on free ports, its
    upstream a closed port (nothing here reaches gunicorn)."""
    if NGINX is None or shutil.which("openssl") is None:
        pytest.skip("nginx or openssl not installed")
    from tests.test_production_server import free_port

    base = tmp_path_factory.mktemp("nginx")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(base / "privkey.pem"),
         "-out", str(base / "fullchain.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    http, https, upstream = free_port(), free_port(), free_port()
    text = (BASE_DIR / "deploy" / "nginx.conf").read_text()
    text = (
        text.replace("web:8000", f"127.0.0.1:{upstream}")
        .replace("/etc/nginx/certs/", f"{base}/")
        .replace("listen 80;", f"listen 127.0.0.1:{http};")
        .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;")
    )
    header = f"daemon on; pid {base}/nginx.pid; error_log {base}/error.log;\n"
    text = header + text.replace(
        "http {", f"http {{ access_log off; client_body_temp_path {base};", 1
    )
    (base / "nginx.conf").write_text(text)
    command = [NGINX, "-p", str(base), "-c", str(base / "nginx.conf")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    subprocess.run(command, check=True, capture_output=True, timeout=30)
    try:
        yield https
    finally:
        pid = int((base / "nginx.pid").read_text())
        os.kill(pid, signal.SIGQUIT)


def https_request(port, method, path, *, headers=None, body=None):
    context = ssl._create_unverified_context()  # noqa: S323 - our own throwaway certificate
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read().decode()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "method, path, headers, body, status, words",
    [
        # Fits nginx's buffer, not gunicorn's request line: `$uri_too_long`.
        ("GET", "/?q=" + "a" * 8171, {}, None, 414, "Adressen är för lång"),
        ("GET", "/?q=" + "a" * 8300, {}, None, 414, "Adressen är för lång"),
        ("GET", "/?q=" + "a" * 9000, {}, None, 414, "Adressen är för lång"),
        ("GET", "/", {"Cookie": "a=" + "b" * 9000}, None, 400, "Felaktig begäran"),
        ("POST", "/admin/", {"Content-Length": str(22 * 1024 * 1024)}, b"", 413, "för stort"),
        ("GET", "/om/", {}, None, 502, "tillfälligt otillgänglig"),
    ],
)
def test_nginx_answers_its_own_errors_with_the_swedish_pages(
    nginx, method, path, headers, body, status, words
):
    got, content_type, text = https_request(nginx, method, path, headers=headers, body=body)
    assert got == status
    assert content_type == "text/html; charset=utf-8"
    assert '<html lang="sv">' in text
    assert words in text
    assert "nginx" not in text
