import datetime

from django.utils import timezone

from tests.permissions import Case

SIGNED_IN = 302  # the sign-in pages send a signed-in member home


def _magic_link(world):
    """A usable sign-in link for the owner; the case gets its secret."""

    def build(world):
        from ruche.accounts.models import MagicLink
        from ruche.core.secrets import hash_secret, new_secret

        secret = new_secret()
        MagicLink.objects.create(
            member=world.owner,
            token_hash=hash_secret(secret),
            expires_at=timezone.now() + datetime.timedelta(minutes=15),
        )
        return secret

    return {"secret": world.once("magic-link", build)}


def _token_of(person_attribute):
    def kwargs(world):
        from ruche.accounts.services import api_token_create

        person = getattr(world, person_attribute)
        token, _secret = world.once(
            f"token-{person_attribute}",
            lambda w: api_token_create(actor=person, member=person, name="Export"),
        )
        return {"pk": token.pk}

    return kwargs


def _data_export_of(person_attribute):
    """A prepared export of that person, with a fresh e-mailed link; the case gets its secret."""

    def kwargs(world):
        def build(world):
            from ruche.accounts.models import DataExport
            from ruche.accounts.personal_data import data_export_mint
            from ruche.notifications.models import Notification

            person = getattr(world, person_attribute)
            export = DataExport.objects.create(member=person, content={"members": {}})
            notification = Notification(member=person, context={"export": export.pk})
            context, _attachments = data_export_mint(notification)
            return context["url"].rstrip("/").rsplit("/", 1)[1]

        return {"secret": world.once(f"export-{person_attribute}", build)}

    return kwargs


CASES = [
    Case("accounts:login", anonymous=200, member=SIGNED_IN, admin=SIGNED_IN),
    Case(
        "accounts:login",
        method="post",
        data=lambda w: {"email": w.owner.email},
        anonymous=302,
        member=SIGNED_IN,
        admin=SIGNED_IN,
    ),
    Case("accounts:link-sent", anonymous=200, member=200, admin=200),
    # Opening a link only shows a button; the POST signs in (as the link's member).
    Case("accounts:magic-link", kwargs=_magic_link, anonymous=200, member=200, admin=200),
    Case(
        "accounts:magic-link",
        method="post",
        kwargs=_magic_link,
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case(
        "accounts:magic-link",
        kwargs=lambda w: {"secret": "inconnu"},
        anonymous=410,
        member=410,
        admin=410,
    ),
    # Demo personas exist only in DEMO_MODE, which is off here.
    Case(
        "accounts:demo-login",
        method="post",
        data=lambda w: {"persona": "member"},
        anonymous=404,
        member=404,
        admin=404,
    ),
    Case("accounts:logout", method="post", anonymous=302, member=302, admin=302),
    # Signing out takes a POST: a link or a prefetch cannot sign anyone out.
    Case("accounts:logout", anonymous=405, member=405, admin=405),
    Case("accounts:account", anonymous=302, member=200, admin=200),
    Case(
        "accounts:account",
        method="post",
        data=lambda w: {"name": "Mon script"},
        anonymous=302,
        member=200,
        admin=200,
    ),
    # Only its owner revokes a token, admins included (they use the Django admin).
    Case(
        "accounts:api-token-revoke",
        method="post",
        kwargs=_token_of("owner"),
        anonymous=302,
        member=404,
        admin=404,
    ),
    Case(
        "accounts:api-token-revoke",
        method="post",
        kwargs=_token_of("member"),
        anonymous=302,
        member=302,
        animator=404,
        admin=404,
    ),
    Case(
        "accounts:api-token-revoke",
        kwargs=_token_of("member"),
        anonymous=302,
        member=405,
        admin=405,
    ),
    Case(
        "accounts:set-language",
        method="post",
        data=lambda w: {"language": "en", "next": "/"},
        anonymous=302,
        member=302,
        admin=302,
    ),
    Case("accounts:my-data", anonymous=302, member=200, admin=200),
    Case("accounts:data-export", method="post", anonymous=302, member=200, admin=200),
    Case("accounts:data-export", anonymous=302, member=405, admin=405),
    # Only its member opens an export, admins included.
    Case(
        "accounts:data-download",
        kwargs=_data_export_of("owner"),
        anonymous=302,
        member=403,
        admin=403,
    ),
    Case(
        "accounts:data-download",
        kwargs=_data_export_of("member"),
        anonymous=302,
        member=200,
        animator=403,
        admin=403,
    ),
    Case(
        "accounts:data-download",
        kwargs=lambda w: {"secret": "inconnu"},
        anonymous=302,
        member=302,
        admin=302,
    ),
    # Deleting takes the member's own address: anything else is refused, nothing is deleted.
    Case(
        "accounts:account-delete",
        method="post",
        data=lambda w: {"confirmation": "quelqu-un@example.org"},
        anonymous=302,
        member=400,
        admin=400,
    ),
    Case(
        "accounts:account-delete",
        method="post",
        data=lambda w: {"confirmation": w.member.email},
        anonymous=302,
        member=302,
        animator=400,
        admin=400,
    ),
    Case("accounts:account-delete", anonymous=302, member=405, admin=405),
]
