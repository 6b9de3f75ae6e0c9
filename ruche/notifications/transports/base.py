"""The channels a message leaves by, one module each behind the same small interface: a
transport is made for a channel (None for e-mail) and `send(message)` delivers one message or
raises DeliveryFailed."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outgoing:
    # Unique to the delivery and the same on every retry.
    key: str
    subject: str
    text: str
    html: str
    markdown: str = ""
    to: str = ""
    headers: dict = field(default_factory=dict)
    attachments: tuple = ()


class DeliveryFailed(Exception):
    """The message did not leave. `retry_after`: the server said when to come back;
    `permanent`: asking again will not help (a refused token, a room that does not exist)."""

    def __init__(self, message: str, *, retry_after: float | None = None, permanent=False):
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


class Transport:
    def __init__(self, channel=None):
        self.channel = channel

    def send(self, message: Outgoing) -> None:
        raise NotImplementedError
