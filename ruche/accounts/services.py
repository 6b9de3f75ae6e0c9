import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from ruche.accounts import tasks
from ruche.accounts.models import ApiToken, DataExport, MagicLink
from ruche.accounts.personal_data import member_erase, personal_data_of, personal_data_size
from ruche.core.secrets import hash_secret, new_secret
from ruche.core.text import refuse_control_characters
from ruche.members.models import Member

API_TOKEN_PREFIX = "ruche_"  # noqa: S105 — a visible prefix, not a secret
LAST_USED_PRECISION = datetime.timedelta(minutes=5)
# Up to this many rows the export is built in the request; beyond, the worker prepares it.
DIRECT_EXPORT_MAX_ROWS = 2000


def sign_in_link_request(*, email: str, next_url: str = "") -> None:
    """Asks for a sign-in link. Does the same work whatever the address, so neither the answer
    nor its timing tells whether the address belongs to a member: the lookup happens in the
    worker."""
    tasks.send_sign_in_link.enqueue(email.strip().lower(), next_url)


def magic_link_find(*, secret: str) -> MagicLink | None:
    """The link if it can still be used, without using it (for the confirmation page)."""
    link = MagicLink.objects.select_related("member").filter(token_hash=hash_secret(secret)).first()
    if link is None or not link.is_usable() or not link.member.is_active:
        return None
    return link


def magic_link_consume(*, secret: str) -> MagicLink | None:
    """Uses the link once: the conditional update lets exactly one request through, even when
    two arrive together."""
    now = timezone.now()
    # One table, no join: PostgreSQL re-checks a plain WHERE on the row it waited for, but an
    # update filtered through a join becomes `id IN (subquery)`, evaluated on the snapshot
    # taken before the wait, and lets every concurrent request through.
    used = MagicLink.objects.filter(
        token_hash=hash_secret(secret), used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if used != 1:
        return None
    link = MagicLink.objects.select_related("member").get(token_hash=hash_secret(secret))
    if not link.member.is_active:
        return None
    return link


def magic_links_purge() -> int:
    """Periodic: forgets links that can no longer be used."""
    cutoff = timezone.now() - datetime.timedelta(days=7)
    deleted, _details = MagicLink.objects.filter(expires_at__lt=cutoff).delete()
    return deleted


def api_token_create(*, actor: Member, member: Member, name: str) -> tuple[ApiToken, str]:
    if actor != member and not actor.is_superuser:
        raise PermissionDenied(_("Vous ne pouvez créer un jeton que pour vous-même."))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Donnez un nom au jeton, pour le reconnaître plus tard.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Le nom du jeton ne doit pas dépasser 100 caractères.")})
    refuse_control_characters(lines={"name": (_("Le nom du jeton"), name)})
    secret = API_TOKEN_PREFIX + new_secret()
    token = ApiToken.objects.create(
        member=member, name=name, token_hash=hash_secret(secret), prefix=secret[:12]
    )
    return token, secret


def api_token_revoke(*, actor: Member, token: ApiToken) -> ApiToken:
    if token.member_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied(_("Ce jeton n’est pas le vôtre."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> Member | None:
    token = (
        ApiToken.objects.usable()
        .select_related("member")
        .filter(token_hash=hash_secret(secret))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    member: Member = token.member
    return member


def personal_data_request(*, actor: Member) -> dict[str, Any] | None:
    """A member asks for everything Ruche holds about them: the data itself when it is small,
    otherwise None, and the worker e-mails them a link to it."""
    if personal_data_size(actor) <= DIRECT_EXPORT_MAX_ROWS:
        return personal_data_of(actor)
    tasks.prepare_data_export.enqueue(actor.pk)
    return None


def data_export_find(*, actor: Member, secret: str) -> DataExport:
    """The export the e-mailed link opens: only for its member, and only for 24 hours."""
    export = DataExport.objects.filter(
        token_hash=hash_secret(secret), expires_at__gt=timezone.now()
    ).first()
    if export is None:
        raise ValidationError(_("Ce lien a expiré. Demandez un nouvel export de vos données."))
    if export.member_id != actor.pk:
        raise PermissionDenied(_("Ce fichier est celui d’un·e autre membre."))
    return export


def account_delete(*, actor: Member, member: Member, confirmation: str) -> None:
    """Deletes the member's account for good, once they typed their own e-mail address."""
    if actor.pk != member.pk:
        raise PermissionDenied(_("Vous ne pouvez supprimer que votre propre compte."))
    if confirmation.strip().lower() != member.email.lower():
        raise ValidationError(
            {"confirmation": _("Tapez exactement votre adresse e-mail pour confirmer.")}
        )
    member_erase(member)
