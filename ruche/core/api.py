"""What every app's API router shares (the routes themselves live in each app's api.py; the
NinjaAPI object and its error handlers in ruche.api, above the apps)."""

import datetime
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError


class ErrorOut(Schema):
    """The body of every refusal: ruche.api's exception handlers answer `{"detail": ...}`."""

    detail: str | dict[str, list[str]] | list[dict[str, Any]] = Field(
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


# The largest offset any database takes (PostgreSQL's bigint, SQLite's integer): beyond it the
# query itself fails.
MAX_OFFSET = 2**63 - 1


class Pagination(LimitOffsetPagination):
    """Ninja's limit/offset pagination, with an offset the database can take: a larger one is a
    422 like any other malformed parameter, not a failed query."""

    class Input(LimitOffsetPagination.Input):
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


# UTC offsets in use in the world run from -12:00 to +14:00; PostgreSQL refuses a date whose
# offset is far outside (-21:49), so such a date is refused as malformed.
OFFSET_MIN = datetime.timedelta(hours=-12)
OFFSET_MAX = datetime.timedelta(hours=14)


def _real_offset(moment: datetime.datetime | None) -> datetime.datetime | None:
    offset = moment.utcoffset() if moment is not None else None
    if moment is not None and offset is not None and not OFFSET_MIN <= offset <= OFFSET_MAX:
        raise PydanticCustomError(
            "timezone_offset",
            "The UTC offset must lie between -12:00 and +14:00",
            {"offset": moment.strftime("%:z")},
        )
    return moment


Moment = Annotated[datetime.datetime, AfterValidator(_real_offset)]


def choice_of(choices: type[models.Choices], *, blank: bool = False) -> Any:
    """A field taking one of the values of a TextChoices (`tool`, not its French label), declared
    as an enum in the OpenAPI schema so that clients learn them; a refusal names them. `blank`
    adds the empty value a model field may keep (a member's domaine)."""
    values = ("", *choices.values) if blank else tuple(choices.values)
    return Literal[values]
