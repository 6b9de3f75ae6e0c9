"""Without Redis the cache lives in the database, shared by every process; REDIS_URL puts it in
Redis. (Rate limits count in a table of their own: tests/core/test_ratelimit.py.)"""

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def test_with_redis_url_the_cache_is_redis(load_settings):
    cache = load_settings(DEBUG="1", REDIS_URL=REDIS_TEST_URL)["CACHES"]["default"]

    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_TEST_URL,
    }
