"""Without Redis the cache lives in the database, shared by every process: a counter that
several processes increment at once (a rate limit) loses no increment."""

import datetime

import pytest
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connection
from django.utils import timezone

from ruche.core.cache import DatabaseCache
from tests.helpers import run_at_once

THREADS = 8
INCREMENTS = 15
pytestmark = pytest.mark.usefixtures("cache_table")


def _count_at_once(cache_class) -> int:
    key = f"test-counter-{timezone.now().timestamp()}"
    cache_class("ruche_cache", {}).set(key, 0, timeout=60)

    def increments():
        cache = cache_class("ruche_cache", {})  # as each process has its own
        for _ in range(INCREMENTS):
            cache.incr(key)

    run_at_once([increments] * THREADS)
    return cache_class("ruche_cache", {}).get(key)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_increments_are_all_counted():
    assert _count_at_once(DatabaseCache) == THREADS * INCREMENTS


@pytest.mark.django_db(transaction=True)
def test_django_s_own_database_cache_loses_some():
    """Why ruche.core.cache exists; should Django make its incr atomic, this fails and the
    subclass can go."""
    assert _count_at_once(DjangoDatabaseCache) < THREADS * INCREMENTS


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


@pytest.mark.django_db
def test_an_increment_returns_the_new_value_and_keeps_the_expiry():
    cache = DatabaseCache("ruche_cache", {})
    cache.set("hits", 1, timeout=60)
    expires = _expires()

    assert cache.incr("hits") == 2
    assert cache.incr("hits", 5) == 7
    assert cache.get("hits") == 7
    assert _expires() == expires
