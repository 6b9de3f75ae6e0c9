"""A member's rights over their data: the export of everything Ruche holds about them, and
the erasure of their account. Each app says what it holds through `registry.personal_data`
(its `personal_data.py`), so an app added later plugs in without a change here."""

import datetime
import json

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ruche.accounts.models import ApiToken, DataExport, MagicLink
from ruche.core.personal_data import rows
from ruche.core.registry import registry
from ruche.core.secrets import hash_secret, new_secret
from ruche.members.models import PLACEHOLDER_EMAIL, PLACEHOLDER_NAME, ErasedMember, Member
from ruche.notifications.models import Notification
from ruche.notifications.services import notify

EXPORT_VALID = datetime.timedelta(hours=24)
ENCODER = DjangoJSONEncoder
PURGE_BATCH = 200


def personal_data_of(member: Member) -> dict:
    """Everything about `member`, as JSON-ready data: one key per app. Secrets (API tokens,
    sign-in and calendar links) are stored only as hashes and are not part of it."""
    data = {"exported_at": timezone.now(), "member_id": member.pk}
    for entry in registry.personal_data:
        data[entry.name] = entry.export(member)
    return data


def personal_data_size(member: Member) -> int:
    """About how many rows the export holds: a few queries, however large it is."""
    return sum(entry.count(member) for entry in registry.personal_data if entry.count)


def data_export_prepare(member_id: int) -> DataExport | None:
    """In the worker: builds the export and e-mails its link."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return None
    export = DataExport.objects.create(member=member, content=_json_ready(personal_data_of(member)))
    notify(member, "accounts.data_export", {"export": export.pk})
    return export


def _json_ready(data: dict) -> dict:
    return json.loads(json.dumps(data, cls=ENCODER))


def data_export_mint(notification: Notification) -> tuple[dict, tuple] | None:
    """When the e-mail is written: a fresh secret whose hash only is kept; the 24 hours start
    now, and a retried e-mail carries a new link (the previous one stops working)."""
    secret = new_secret()
    now = timezone.now()
    updated = DataExport.objects.filter(
        pk=notification.context.get("export"), member=notification.member
    ).update(token_hash=hash_secret(secret), expires_at=now + EXPORT_VALID)
    if not updated:
        return None
    return {
        "url": reverse("accounts:data-download", args=[secret]),
        "hours": int(EXPORT_VALID.total_seconds() // 3600),
    }, ()


def data_exports_purge() -> int:
    """Periodic: deletes the exports whose link expired, and those never sent."""
    now = timezone.now()
    stale = DataExport.objects.filter(expires_at__lt=now) | DataExport.objects.filter(
        expires_at__isnull=True, created_at__lt=now - EXPORT_VALID
    )
    deleted, _details = stale.delete()
    return deleted


def placeholder_member() -> Member:
    """The one « ancien membre » to whom erased members' rows are handed. It never signs in and
    is not listed in the directory."""
    member, _created = Member.objects.get_or_create(
        email=PLACEHOLDER_EMAIL,
        # A name, stored once: the same whatever the language of the request that erases.
        defaults={"display_name": PLACEHOLDER_NAME, "is_active": False},
    )
    return member


def _sessions_of(member: Member) -> list[str]:
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(member.pk):
            keys.append(session.session_key)
    return keys


def member_erase(member: Member) -> None:
    """Erases a member: each app deletes their rows or hands them to the placeholder, then the
    member row goes (profile, e-mail, tokens, links). Their beta.gouv id is remembered as a hash
    only, so that the importer never brings them back."""
    with transaction.atomic():
        placeholder = placeholder_member()
        if member.pk == placeholder.pk:
            return
        for entry in registry.personal_data:
            entry.erase(member, placeholder)
        if member.betagouv_id:
            ErasedMember.objects.get_or_create(betagouv_id_hash=hash_secret(member.betagouv_id))
        Session.objects.filter(session_key__in=_sessions_of(member)).delete()
        member.delete()


def account_export(member: Member) -> dict:
    return {
        "api_tokens": rows(
            ApiToken.objects.filter(member=member),
            "name",
            "prefix",
            "created_at",
            "last_used_at",
            "revoked_at",
        )
    }


def account_erase(member: Member, placeholder: Member) -> None:
    ApiToken.objects.filter(member=member).delete()
    MagicLink.objects.filter(member=member).delete()
    DataExport.objects.filter(member=member).delete()


def inactive_members_purge(*, now: datetime.datetime | None = None) -> int:
    """Periodic: imported members gone from beta.gouv's data for longer than the retention
    period, who never signed in, are erased as if they had deleted their account."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.INACTIVE_MEMBER_RETENTION_DAYS)
    gone = Member.objects.filter(
        betagouv_id__isnull=False, upstream_missing_since__lt=cutoff, last_login__isnull=True
    ).exclude(email=PLACEHOLDER_EMAIL)
    # A bounded batch per run: the job runs again soon after.
    erased = list(gone[:PURGE_BATCH])
    for member in erased:
        member_erase(member)
    return len(erased)
