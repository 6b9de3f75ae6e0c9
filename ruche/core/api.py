"""What every app's API router shares (the routes themselves live in each app's api.py; the
NinjaAPI object and its error handlers in ruche.api, above the apps)."""

from ninja import Field, Schema


class ErrorOut(Schema):
    """The body of every refusal: ruche.api's exception handlers answer `{"detail": ...}`."""

    detail: str | dict[str, list[str]] | list[dict] = Field(
        description=(
            "Pourquoi la requête est refusée : un message, un message par champ, ou (422) un "
            "objet par paramètre mal formé (loc, msg, type)"
        )
    )


# The refusals each kind of route may answer with, documented in the OpenAPI schema. Every
# route needs a token (401) and counts towards the member's rate limit (429).
ACCESS_ERRORS = {401: ErrorOut, 429: ErrorOut}
# A route that takes parameters or a body may find them malformed (422).
INPUT_ERRORS = {**ACCESS_ERRORS, 422: ErrorOut}
READ_ERRORS = {**INPUT_ERRORS, 404: ErrorOut}
WRITE_ERRORS = {**READ_ERRORS, 400: ErrorOut, 403: ErrorOut}
