"""Django's Redis cache backend, keeping one client per connection pool.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every cache operation, and a new
client builds its table of ~170 response callbacks each time: a few hundred microseconds on every cache
hit of a public page. A client is thread-safe (each command takes a connection from the pool), so one
per pool is kept and reused. Settings: CACHE_URL=redis://… selects this backend (parindex/settings.py).
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
