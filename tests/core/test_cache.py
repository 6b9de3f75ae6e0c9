"""Without Redis the cache lives in the database, shared by every process: a counter that
several processes increment at once (a rate limit) loses no increment."""

import contextlib
import datetime
import uuid

import pytest
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisUnreachable

from ruche.core.cache import DatabaseCache
from tests.helpers import run_at_once

THREADS = 8
INCREMENTS = 15


def _count_at_once(cache_class) -> int:
    key = f"test-counter-{timezone.now().timestamp()}"
    cache_class("ruche_cache", {}).set(key, 0, timeout=60)

    def increments():
        cache = cache_class("ruche_cache", {})  # as each process has its own
        for _ in range(INCREMENTS):
            cache.incr(key)

    run_at_once([increments] * THREADS)
    return cache_class("ruche_cache", {}).get(key)


@pytest.mark.usefixtures("cache_table")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_increments_are_all_counted():
    assert _count_at_once(DatabaseCache) == THREADS * INCREMENTS


@pytest.mark.usefixtures("cache_table")
@pytest.mark.django_db(transaction=True)
def test_django_s_own_database_cache_loses_some():
    """Why ruche.core.cache exists; should Django make its incr atomic, this fails and the
    subclass can go."""
    assert _count_at_once(DjangoDatabaseCache) < THREADS * INCREMENTS


@pytest.mark.usefixtures("cache_table")
@pytest.mark.django_db
def test_incrementing_a_missing_or_expired_key_fails_as_django_s_does(monkeypatch):
    cache = DatabaseCache("ruche_cache", {})
    cache.set("expired", 5, timeout=60)
    later = timezone.now() + datetime.timedelta(seconds=61)

    with pytest.raises(ValueError, match="not found"):
        cache.incr("never-set")
    monkeypatch.setattr("ruche.core.cache.timezone.now", lambda: later)
    with pytest.raises(ValueError, match="not found"):
        cache.incr("expired")


def _expires() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM ruche_cache")
        return cursor.fetchall()


@pytest.mark.usefixtures("cache_table")
@pytest.mark.django_db
def test_an_increment_returns_the_new_value_and_keeps_the_expiry():
    cache = DatabaseCache("ruche_cache", {})
    cache.set("hits", 1, timeout=60)
    expires = _expires()

    assert cache.incr("hits") == 2
    assert cache.incr("hits", 5) == 7
    assert cache.get("hits") == 7
    assert _expires() == expires


def test_production_settings_keep_room_for_many_counters(load_settings):
    """Past MAX_ENTRIES Django's database cache deletes a third of its entries, live rate-limit
    counters among them (its default is 300: one busy minute of the API)."""
    cache = load_settings(DEBUG="1")["CACHES"]["default"]

    assert cache["BACKEND"] == "ruche.core.cache.DatabaseCache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] >= 10_000


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def test_with_redis_url_the_cache_is_redis(load_settings):
    cache = load_settings(DEBUG="1", REDIS_URL=REDIS_TEST_URL)["CACHES"]["default"]

    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
    }


@contextlib.contextmanager
def _redis():
    """A Redis cache client on the test database (15), its connections closed at the end."""
    cache = RedisCache(REDIS_TEST_URL, {})
    try:
        yield cache
    finally:
        for pool in cache._cache._pools.values():
            pool.disconnect()


def test_redis_counts_simultaneous_increments_too():
    key = f"ruche-test-counter-{uuid.uuid4().hex}"

    def increments():
        with _redis() as client:  # as each process has its own
            for _ in range(INCREMENTS):
                client.incr(key)

    with _redis() as cache:
        try:
            cache.set(key, 0, timeout=60)
        except RedisUnreachable as error:
            pytest.skip(f"No Redis at {REDIS_TEST_URL}: {error}")
        try:
            run_at_once([increments] * THREADS)
            assert cache.get(key) == THREADS * INCREMENTS
        finally:
            cache.delete(key)
