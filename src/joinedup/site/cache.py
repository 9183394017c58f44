"""Django's Redis cache, with one Redis client kept per connection pool.

Django's backend makes a new `redis.Redis` object for every cache call, and
building one (its table of reply handlers) cost more than the round-trip to
Redis itself on a survey page. A client object holds no connection of its
own (its pool does, and is thread-safe), so one per pool serves every thread.
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.cache.backends import redis


class _KeptClients(redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: dict[int, Any] = {}
        self._lock = threading.Lock()

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._kept.get(index)
        if client is None:
            with self._lock:
                client = self._kept.get(index)
                if client is None:
                    client = self._client(connection_pool=self._get_connection_pool(write))
                    self._kept[index] = client
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _KeptClients
