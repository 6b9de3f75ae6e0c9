"""Sign-in links as the worker makes them: the e-mail is queued for the member with that
address, if any, and the link itself is minted only when the e-mail is written. Called by the
task that `services.sign_in_link_request` queues, so that the page answers the same whatever the
address."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ruche.accounts.models import MagicLink
from ruche.core.secrets import hash_secret, new_secret
from ruche.members.models import Member
from ruche.notifications.models import Notification
from ruche.notifications.services import notify


def sign_in_link_send(*, email: str, next_url: str = "") -> Notification | None:
    """Queues the sign-in e-mail of the member with that address, if any. The link itself is
    minted when the e-mail is written (`sign_in_link_mint`), so it is stored nowhere in clear
    and a retried e-mail carries a fresh one."""
    member = Member.objects.filter(email=email.strip().lower(), is_active=True).first()
    if member is None:
        return None
    return notify(
        member,
        "accounts.sign_in_link",
        {"next_url": next_url[:500], "minutes": settings.MAGIC_LINK_MAX_AGE_SECONDS // 60},
    )


def sign_in_link_mint(notification: Notification) -> tuple[dict, tuple]:
    """At the moment the sign-in e-mail is written, in the worker: a new single-use link whose
    hash only is kept; its 15 minutes start now."""
    member = notification.member
    if member is None:  # a sign-in link is only ever sent to a member
        raise ValueError(f"Notification {notification.pk} has no member to sign in.")
    secret = new_secret()
    now = timezone.now()
    MagicLink.objects.create(
        member=member,
        token_hash=hash_secret(secret),
        next_url=notification.context.get("next_url", "")[:500],
        created_at=now,
        expires_at=now + datetime.timedelta(seconds=settings.MAGIC_LINK_MAX_AGE_SECONDS),
    )
    return {"url": reverse("accounts:magic-link", args=[secret])}, ()
