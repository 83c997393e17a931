"""A shared cache that is away costs a render, never an error page.

Django's Redis backend raises when Redis is down or slow; every read and write of the page
cache would then need a guard. Here the backend itself answers a miss (reads) or does
nothing (writes) and logs a warning, so the rest of the code uses `django.core.cache` as it
is. The per-process memory cache cannot fail and needs no such backend.
"""

import logging

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


class TolerantRedisCache(RedisCache):
    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except Exception:  # noqa: BLE001 - any failure of the cache is a miss
            logger.warning("Cache unavailable for get", exc_info=True)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except Exception:
            logger.warning("Cache unavailable for get_many", exc_info=True)
            return {}

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except Exception:
            logger.warning("Cache unavailable for set", exc_info=True)

    def add(self, key, value, timeout=None, version=None):
        try:
            return super().add(key, value, timeout, version)
        except Exception:
            logger.warning("Cache unavailable for add", exc_info=True)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except Exception:
            logger.warning("Cache unavailable for delete", exc_info=True)
            return False
