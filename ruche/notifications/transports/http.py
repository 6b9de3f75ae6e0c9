"""Every HTTP request Ruche sends to the outside (the chat transports) leaves from here: one
timeout, one user agent, one reading of the answer. Tests point channels at servers of their own
on 127.0.0.1, or replace `send`."""

import email.utils
import json
from dataclasses import dataclass

import requests
from django.conf import settings
from django.utils import timezone

from ruche.notifications.transports.base import DeliveryFailed

USER_AGENT = "Ruche (beta.gouv community platform)"
# A server that asks us to wait longer than this is asked again after this.
LONGEST_WAIT = 24 * 3600


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict
    text: str


def send(method: str, url: str, *, payload: dict, headers: dict | None = None) -> Answer:
    """Sends `payload` as JSON and returns the answer, or raises DeliveryFailed: a connection
    refused, a timeout or a server error is worth trying again; a request the server refuses
    is not (unless it said too many, 429, and when to come back)."""
    try:
        response = requests.request(
            method,
            url,
            json=payload,
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            timeout=settings.NOTIFICATIONS_HTTP_TIMEOUT,
            allow_redirects=False,
        )
    except requests.Timeout as error:
        raise DeliveryFailed(f"No answer within {settings.NOTIFICATIONS_HTTP_TIMEOUT} s") from error
    except requests.RequestException as error:
        raise DeliveryFailed(f"{error.__class__.__name__}: {error}") from error
    answer = Answer(response.status_code, dict(response.headers), response.text[:2000])
    if 200 <= answer.status < 300:
        return answer
    message = f"HTTP {answer.status}: {answer.text[:500]}"
    if answer.status == 429:
        raise DeliveryFailed(message, retry_after=retry_after(answer))
    if answer.status >= 500 or answer.status == 408:
        raise DeliveryFailed(message)
    raise DeliveryFailed(message, permanent=True)


def retry_after(answer: Answer) -> float | None:
    """Seconds to wait before asking again: Retry-After (seconds or an HTTP date), or the
    `retry_after_ms` of a Matrix error; None when the server did not say."""
    value = {key.lower(): item for key, item in answer.headers.items()}.get("retry-after", "")
    seconds = None
    if value.strip().isdigit():
        seconds = float(value)
    elif value:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None:
            seconds = (when - timezone.now()).total_seconds()
    if seconds is None and '"retry_after_ms"' in answer.text:
        try:
            seconds = json.loads(answer.text)["retry_after_ms"] / 1000
        except (ValueError, KeyError, TypeError):
            seconds = None
    if seconds is None:
        return None
    return min(max(seconds, 0), LONGEST_WAIT)
