"""The kinds of things Ruche tells members. Each app declares its own kinds in its
`notifications.py` module, which the notifications app discovers at start-up; this app never
imports an activity app by name."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    name: str
    # str.format() patterns over the notification context.
    subject: str
    # Plain-text e-mail body template, rendered with the context plus `member` and `base_url`.
    email_template: str
    # Shown in the member's notification list. Off for messages that only make sense by e-mail.
    in_app: bool = True
    # The context holds a secret (a sign-in link): nothing is stored, the e-mail leaves at once
    # after the transaction commits, from the process that asked for it.
    sensitive: bool = False
    category: str = "general"


_kinds: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    _kinds[kind.name] = kind
    return kind


def get_kind(name: str) -> NotificationKind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(
            f"Unknown notification kind {name!r}: declare it in an app's notifications.py"
        ) from None
