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
]
