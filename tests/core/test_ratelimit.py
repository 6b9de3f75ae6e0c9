import datetime
import uuid
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import RequestFactory
from django.utils import timezone

from ruche.core.models import RateLimitCounter
from ruche.core.ratelimit import client_ip, counters_purge, hit, retry_after
from tests.helpers import run_at_once


@pytest.mark.django_db
def test_a_limit_counts_each_key_apart(settings):
    settings.RATE_LIMITS = {"essai": (2, 60), "autre": (1, 60)}

    assert [hit("essai", "a") for _ in range(3)] == [True, True, False]
    assert hit("essai", "b") is True
    assert hit("autre", "a") is True


def test_retry_after_is_the_rest_of_the_window(settings):
    settings.RATE_LIMITS = {"essai": (2, 60)}

    with mock.patch("ruche.core.ratelimit.time.time", return_value=6000 + 45.2):
        assert retry_after("essai") == 15


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(settings):
    """By default nothing sits in front: a client could claim any address, even in production
    (the header is trusted only when TRUSTED_PROXY_COUNT says how many proxies append to it)."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1"
    )

    assert client_ip(request) == "198.51.100.7"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7"
    )

    assert client_ip(request) == "198.51.100.7"


def test_behind_two_proxies_the_address_the_outer_one_appended_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.2"
    )

    assert client_ip(request) == "198.51.100.7"


def test_rotating_a_forged_forwarded_address_does_not_escape_the_sign_in_limit(
    settings, client, db
):
    """The client writes what it likes before the proxy's own entry: only the proxy's counts."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-ip": (3, 900)}
    statuses = [
        client.post(
            "/connexion/",
            {"email": f"personne{n}@beta.gouv.fr"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.7",
        ).status_code
        for n in range(5)
    ]

    assert statuses[:3] == [302] * 3
    assert statuses[3:] == [429] * 2


def test_a_forwarded_header_shorter_than_the_proxy_chain_is_not_trusted(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(request) == "10.0.0.2"


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_each_counted_once_in_the_database(settings):
    settings.RATE_LIMITS = {"essai": (1000, 60)}

    results = run_at_once([lambda: hit("essai", "même-clé")] * 8)

    assert results == [True] * 8
    assert RateLimitCounter.objects.get().count == 8


@pytest.mark.django_db
def test_counts_of_windows_that_are_over_are_purged(settings):
    settings.RATE_LIMITS = {"essai": (5, 60)}
    hit("essai", "a")
    RateLimitCounter.objects.create(
        key="ratelimit:essai:1:x", count=3, expires_at=timezone.now() - datetime.timedelta(1)
    )

    assert counters_purge() == 1
    assert RateLimitCounter.objects.count() == 1


@pytest.fixture
def redis_cache(settings):
    """Redis (database 9, keys of this run only) as the cache, when it runs here."""
    prefix = f"ruche-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/9",
            "KEY_PREFIX": prefix,
        }
    }
    cache = caches["default"]
    try:
        cache.get("ping")
    except Exception as error:
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379 ({error})")
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_on_redis_a_limit_counts_with_incr_and_expires(settings, redis_cache):
    settings.RATE_LIMITS = {"essai": (2, 60)}

    assert [hit("essai", "a") for _ in range(3)] == [True, True, False]
    client = redis_cache._cache.get_client(write=True)
    (key,) = client.keys(f"{redis_cache.key_prefix}:*")
    assert int(client.get(key)) == 3
    assert 60 <= client.ttl(key) <= 65
