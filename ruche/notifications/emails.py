"""How a notification is written as an e-mail: its text, its HTML (laid out like the site, in
the site's language) and, unless it is about the member's account, a one-click unsubscribe from
its category (RFC 8058) whose signed token works without signing in."""

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from ruche.core.text import one_line
from ruche.notifications.enums import Category
from ruche.notifications.registry import NotificationKind
from ruche.notifications.transports.base import Outgoing

UNSUBSCRIBE_SALT = "ruche.notifications.unsubscribe"
# What the digest's own unsubscribe switches off (it is not a category).
DIGEST = "digest"
DIGEST_KIND = "notifications.digest"


def unsubscribe_token(member_id: int, topic: str) -> str:
    return signing.dumps([member_id, topic], salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_read(token: str) -> tuple[int, str] | None:
    """(member id, category or "digest") of a genuine token; None for anything else."""
    try:
        member_id, topic = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(member_id, int) or topic not in {*Category.values, DIGEST}:
        return None
    if topic == Category.ACCOUNT:
        return None
    return member_id, topic


def unsubscribe_topic(notification, spec: NotificationKind) -> str | None:
    """What this e-mail's unsubscribe switches off; None for what cannot be (sign-in links,
    messages to someone who is not a member)."""
    if notification.member_id is None:
        return None
    if spec.name == DIGEST_KIND:
        return DIGEST
    if spec.category == Category.ACCOUNT:
        return None
    return str(spec.category)


def write(notification, spec: NotificationKind, key: str, context: dict, attachments=()):
    """The notification as an e-mail (an Outgoing for the e-mail transport)."""
    recipient = notification.member or _Addressee(notification.email, notification.name)
    topic = unsubscribe_topic(notification, spec)
    unsubscribe_url = ""
    if topic:
        path = reverse(
            "notifications:unsubscribe", args=[unsubscribe_token(notification.member_id, topic)]
        )
        unsubscribe_url = f"{settings.BASE_URL}{path}"
    full = {
        **context,
        "member": recipient,
        "base_url": settings.BASE_URL,
        "unsubscribe_url": unsubscribe_url,
        "topic": topic,
        "category_label": Category(topic).label if topic and topic != DIGEST else "",
        "preferences_url": f"{settings.BASE_URL}{reverse('notifications:preferences')}",
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(spec.email_template, full)
        if spec.html_template:
            content = render_to_string(spec.html_template, full)
        else:
            # urlize escapes what is not a link; the paragraphs add only markup.
            content = mark_safe(linebreaks(urlize(text, autoescape=True)))  # nosec B703 B308
        html = render_to_string(
            "notifications/email/base.html",
            {**full, "subject": notification.subject, "content": content},
        )
    headers = {"Auto-Submitted": "auto-generated"}
    if unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return Outgoing(
        key=key,
        # A header holds one line: whatever a title stored before control characters were
        # refused carries, the message still leaves.
        subject=one_line(f"[Ruche] {notification.subject}"),
        text=text,
        html=html,
        to=recipient.email,
        headers=headers,
        attachments=tuple(attachments),
    )


class _Addressee:
    """Someone reached by e-mail only, who may not be a member (an invited speaker)."""

    def __init__(self, email: str, display_name: str = ""):
        self.email = email
        self.display_name = display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else self.email
