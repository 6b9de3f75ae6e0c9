"""The kinds of things Ruche tells members, and the sections of the weekly digest. Each app
declares its own kinds and sections in its `notifications.py` module, which the notifications app
discovers at start-up; this app never imports an activity app by name."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NotificationKind:
    name: str
    # str.format() patterns over the notification context.
    subject: str
    # Plain-text e-mail body template, rendered with the context plus `member` and `base_url`.
    email_template: str
    # Shown in the member's notification list. Off for messages that only make sense by e-mail.
    in_app: bool = True
    category: str = "general"
    # For a message carrying a secret (a sign-in link, a speaker's private link): called by the
    # worker with the notification just before writing the e-mail, it mints the secret (keeping
    # only its hash) and returns `(context, attachments)` to add to the stored context, or None
    # when there is nothing to send anymore. So the secret lives only in the e-mail: not in the
    # notification, not in the queue. A retry mints a new one.
    at_send: Callable[[Any], tuple[dict, tuple] | None] | None = None


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


@dataclass(frozen=True)
class DigestSection:
    """A part of the weekly digest that an app contributes. `prepare(now)`, if given, runs once
    per sending with what every recipient's part is cut from (so a section does not query the
    database once per member); `build(member, now, prepared)` returns a JSON-serialisable context
    for `template` (plain text, rendered with the e-mail's context and `section`), or None when
    there is nothing to tell that member."""

    name: str
    order: int
    template: str
    build: Callable[[Any, datetime.datetime, Any], dict | None]
    prepare: Callable[[datetime.datetime], Any] | None = None


_sections: dict[str, DigestSection] = {}


def register_digest_section(section: DigestSection) -> DigestSection:
    _sections[section.name] = section
    return section


def digest_sections() -> list[DigestSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))
