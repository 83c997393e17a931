"""CACHE_URL=redis://...: the public pages cached in a shared Redis (Django's own backend).

The test starts its own `redis-server` on a free port. Without the binary it is skipped
locally and fails in CI (`.ci/run` installs redis-server with apt when it is missing).
"""

import pytest

from tests import redis_server
from tests.factories import ActivityFactory, CommitmentFactory, PledgeFactory

pytestmark = pytest.mark.django_db

redis_url = redis_server.redis_url  # the fixture


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
        assert reloaded.CACHES["default"]["BACKEND"] == "pagecache.backends.TolerantRedisCache"
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
