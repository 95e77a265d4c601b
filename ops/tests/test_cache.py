"""The Redis cache backend (ops/cache.py): Django's, with one client per pool reused."""

import socket
import uuid

import pytest

from ops.cache import RedisCache


@pytest.fixture
def redis_cache():
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", 6379)) != 0:
            pytest.skip("needs Redis on 127.0.0.1:6379")
    cache = RedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    cache.delete("public:page")  # never clear(): it empties the whole Redis database


def test_it_stores_and_reads_like_djangos(redis_cache):
    page = ("text/html; charset=utf-8", [], "Phường Hoàn Kiếm".encode() * 1000)
    redis_cache.set("public:page", page, 60)
    assert redis_cache.get("public:page") == page
    assert redis_cache.add("public:page", "other", 60) is False
    redis_cache.delete("public:page")
    assert redis_cache.get("public:page") is None


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client(write=True)
    assert redis_cache._cache.get_client() is client
    assert redis_cache._cache.get_client("any-key", write=True) is client
