from ninja.security import HttpBearer

from ruche.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    openapi_description = (
        "Un jeton personnel, créé depuis « Mon compte » : `Authorization: Bearer ruche_…`"
    )

    def authenticate(self, request, token):
        member = api_token_authenticate(secret=token)
        if member is not None:
            request.user = member
        return member
