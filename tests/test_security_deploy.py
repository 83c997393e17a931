"""The production shape in docker-compose.yml and deploy/nginx.conf (issue: forged
X-Forwarded-* headers and one shared rate limit for every resident behind the proxy)."""

import ipaddress
import re
from pathlib import Path

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
    assert config["limit_request_field_size"] <= 8 * 1024
    assert config["limit_request_line"] <= 8 * 1024
    assert config["limit_request_fields"] <= 100
    assert config["forwarded_allow_ips"] != "*"
    # No software name or version in gunicorn's Server header.
    from gunicorn.http import wsgi

    assert "gunicorn" not in wsgi.SERVER.lower()
