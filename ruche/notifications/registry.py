"""The kinds of things Ruche tells members, the sections of the digest and the choices of chat
channel scopes. Each app declares its own in its `notifications.py` module, which the
notifications app discovers at start-up; this app never imports an activity app by name."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ruche.core.text import Label
from ruche.notifications.enums import Category, Mode

# What an `at_send` adds to a message: context, and attachments (file name, content, MIME type).
type Attachment = tuple[str, str, str]
type Minted = tuple[dict[str, Any], tuple[Attachment, ...]]


@dataclass(frozen=True)
class NotificationKind:
    name: str
    # str.format() patterns over the notification context.
    subject: Label
    # Plain-text e-mail body template, rendered with the context plus `member` and `base_url`.
    email_template: str
    # What the member chooses how to hear about (see Category).
    category: Category
    # Shown in the member's notification list. Off for messages that only make sense by e-mail.
    in_app: bool = True
    # Sent by e-mail whatever the member chose for its category (a cancelled event they
    # registered for, a place freed for them): what they must not miss.
    always: bool = False
    # The HTML part of the e-mail; without it, the text part is laid out as HTML paragraphs.
    html_template: str = ""
    # For a message carrying a secret (a sign-in link, a speaker's private link): called by the
    # worker with the notification just before writing the e-mail, it mints the secret (keeping
    # only its hash) and returns `(context, attachments)` to add to the stored context, or None
    # when there is nothing to send anymore. So the secret lives only in the e-mail: not in the
    # notification, not in the queue. A retry mints a new one.
    at_send: Callable[[Any], Minted | None] | None = None


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
    """A part of the digest that an app contributes. `prepare(now)`, if given, runs once per
    sending with what every recipient's part is cut from (so a section does not query the
    database once per member); `build(member, now, prepared)` returns a JSON-serialisable context
    for `template` (plain text, also read as markdown; rendered with the e-mail's context and
    `section`) and `html_template` (the HTML e-mail and the page), or None when there is nothing
    to tell that member. `member.digest_since` is when their previous digest left: what came
    before, they have been told.

    A section with a `category` is left out for a member whose choice for it is not in `modes`
    (by default: e-mail right away or digest). A `community` section tells what is the same for
    everyone (new initiatives, open slots): it is called with `member=None` for the community
    part that the animation team exports for the newsletter and the chat's weekly summary."""

    name: str
    order: int
    template: str
    build: Callable[[Any, datetime.datetime, Any], dict | None]
    prepare: Callable[[datetime.datetime], Any] | None = None
    html_template: str = ""
    category: Category | None = None
    modes: tuple[Mode, ...] = (Mode.EMAIL, Mode.DIGEST)
    community: bool = False


_sections: dict[str, DigestSection] = {}


def register_digest_section(section: DigestSection) -> DigestSection:
    _sections[section.name] = section
    return section


def digest_sections() -> list[DigestSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


@dataclass(frozen=True)
class ScopeChoices:
    """The places a chat channel can be scoped to, offered by the app that owns them (a group's
    own room): `choices()` returns (id, name) pairs."""

    scope: str
    choices: Callable[[], list[tuple[int, str]]]


_scopes: dict[str, ScopeChoices] = {}


def register_scope_choices(scope: ScopeChoices) -> ScopeChoices:
    _scopes[scope.scope] = scope
    return scope


def scope_choices(scope: str) -> list[tuple[int, str]]:
    registered = _scopes.get(scope)
    return list(registered.choices()) if registered else []


def kinds() -> list[NotificationKind]:
    return list(_kinds.values())
