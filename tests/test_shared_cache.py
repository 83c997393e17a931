"""CACHE_URL=redis://...: the public pages cached in a shared Redis (Django's own backend).

The test starts its own `redis-server` on a free port. Without the binary it is skipped
locally and fails in CI (`.ci/run` installs redis-server with apt when it is missing).
"""

import os
import shutil
import socket
import subprocess
import time

import pytest

from tests.factories import ActivityFactory, CommitmentFactory, PledgeFactory

REDIS_SERVER = shutil.which("redis-server")

pytestmark = pytest.mark.django_db


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    if REDIS_SERVER is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        + ["--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def redis_cache(settings, redis_url):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "medborgarlofte-test",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


def test_settings_select_redis_from_cache_url(monkeypatch):
    import importlib

    from medborgarlofte import settings as project_settings

    monkeypatch.setenv("CACHE_URL", "redis://cache.example:6379/0")
    try:
        reloaded = importlib.reload(project_settings)
        assert reloaded.CACHES["default"]["BACKEND"] == (
            "django.core.cache.backends.redis.RedisCache"
        )
        assert reloaded.CACHES["default"]["LOCATION"] == "redis://cache.example:6379/0"
    finally:
        monkeypatch.delenv("CACHE_URL")
        importlib.reload(project_settings)


def test_a_page_rendered_once_is_a_hit_from_redis_until_a_write(
    client, redis_cache, django_assert_num_queries
):
    pledge = PledgeFactory(municipality__slug="kungalv", municipality__name="Kungälv")
    commitment = CommitmentFactory(pledge=pledge, target_quantity=3)
    first = client.get("/kommun/kungalv/")
    assert first.status_code == 200
    # Another process would find it too: the entry is in Redis, not in this process.
    assert any(key for key in redis_cache._cache.get_client().keys("medborgarlofte-test:*"))
    with django_assert_num_queries(1):
        second = client.get("/kommun/kungalv/")
    assert second.content == first.content

    ActivityFactory(commitment=commitment, quantity=2, place="Ny plats i Redis-testet")
    third = client.get("/kommun/kungalv/")
    assert "Ny plats i Redis-testet" in third.text
    assert third["ETag"] != first["ETag"]
