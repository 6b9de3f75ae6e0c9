"""The API's rate limit holds under real concurrency: requests fired at the same instant at
several gunicorn processes are each counted, on the database and on Redis, so exactly the
allowance gets through."""

import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from ruche.accounts.services import api_token_create
from tests.factories import MemberFactory
from tests.servers import gunicorn

LIMIT = 40
REQUESTS = 100
REDIS_URL = "redis://127.0.0.1:6379/9"


def _burst(url: str, secret: str) -> list[int]:
    start_line = threading.Barrier(REQUESTS, timeout=60)

    def send(_index):
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
        start_line.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=REQUESTS) as pool:
        return list(pool.map(send, range(REQUESTS), timeout=120))


def _early_in_a_window() -> None:
    """The limit counts per minute: fire the burst well inside one."""
    into = time.time() % 60
    if into > 40:
        time.sleep(60 - into + 0.5)


def _redis_env() -> tuple[dict, str]:
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable on 127.0.0.1:6379 ({error})")
    prefix = f"ruche-test-{uuid.uuid4().hex}"
    return {"RUCHE_TEST_REDIS_URL": REDIS_URL, "RUCHE_TEST_CACHE_PREFIX": prefix}, prefix


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("store", ["database", "redis"])
def test_simultaneous_requests_get_exactly_the_allowance_through(tmp_path, store):
    env, prefix = _redis_env() if store == "redis" else ({}, None)
    member = MemberFactory()
    _token, secret = api_token_create(actor=member, member=member, name="rafale")
    try:
        with gunicorn(
            tmp_path / "gunicorn.log", workers=4, API_RATE_LIMIT_PER_MINUTE=str(LIMIT), **env
        ) as base:
            _early_in_a_window()
            statuses = _burst(f"{base}/api/v1/me", secret)
    finally:
        if prefix:
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(f"{prefix}:*"):
                client.delete(key)

    assert Counter(statuses) == {200: LIMIT, 429: REQUESTS - LIMIT}
