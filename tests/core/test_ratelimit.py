from unittest import mock

from django.test import RequestFactory

from ruche.core.ratelimit import client_ip, hit, retry_after


def test_a_limit_counts_each_key_apart(settings):
    settings.RATE_LIMITS = {"essai": (2, 60), "autre": (1, 60)}

    assert [hit("essai", "a") for _ in range(3)] == [True, True, False]
    assert hit("essai", "b") is True
    assert hit("autre", "a") is True


def test_retry_after_is_the_rest_of_the_window(settings):
    settings.RATE_LIMITS = {"essai": (2, 60)}

    with mock.patch("ruche.core.ratelimit.time.time", return_value=6000 + 45.2):
        assert retry_after("essai") == 15


def test_without_a_proxy_the_forwarded_header_is_ignored(settings):
    """In development nothing sits in front: a client could claim any address."""
    settings.SECURE_PROXY_SSL_HEADER = None
    request = RequestFactory().get(
        "/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.1"
    )

    assert client_ip(request) == "198.51.100.7"


def test_behind_the_proxy_the_address_it_appended_counts(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7"
    )

    assert client_ip(request) == "198.51.100.7"
