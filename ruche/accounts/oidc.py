from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ruche.members.models import Member


class ProConnectBackend(OIDCAuthenticationBackend):
    """ProConnect sign-in for existing members, matched on their e-mail address. Nobody is
    created here: membership comes from the community's own data."""

    def verify_claims(self, claims):
        return bool(claims.get("email")) and super().verify_claims(claims)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip().lower()
        if not email:
            return Member.objects.none()
        return Member.objects.filter(email=email, is_active=True)

    def create_user(self, claims):
        return None
