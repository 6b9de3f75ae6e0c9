"""Readable messages for the 422 answers: the schema checks (pydantic) speak English, the rest of
the API speaks the reader's language. Each error keeps pydantic's `type` and `loc`, so a client
can still branch on them; only `msg` is rewritten, for the types members' clients actually meet."""

import contextlib
from typing import Any

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "missing": _("Champ obligatoire."),
    "int_parsing": _("Un nombre entier est attendu."),
    "int_type": _("Un nombre entier est attendu."),
    "int_from_float": _("Un nombre entier est attendu."),
    "float_parsing": _("Un nombre est attendu."),
    "decimal_parsing": _("Un nombre est attendu."),
    "bool_parsing": _("Une valeur vraie ou fausse est attendue (true ou false)."),
    "bool_type": _("Une valeur vraie ou fausse est attendue (true ou false)."),
    "string_type": _("Un texte est attendu."),
    "list_type": _("Une liste est attendue."),
    "datetime_parsing": _(
        "Une date et heure ISO 8601 est attendue, par exemple 2026-12-03T18:30:00+01:00."
    ),
    "datetime_from_date_parsing": _(
        "Une date ou une date et heure ISO 8601 est attendue, par exemple 2026-12-03."
    ),
    "datetime_type": _("Une date et heure ISO 8601 est attendue."),
    "timezone_offset": _(
        "Décalage horaire %(offset)s impossible : il doit être compris entre -12:00 et +14:00, "
        "par exemple 2026-12-03T18:30:00+01:00."
    ),
    "string_nul": _("Le texte contient un caractère nul (\\u0000) : retirez-le."),
    "date_parsing": _("Une date ISO 8601 est attendue, par exemple 2026-12-03."),
    "date_from_datetime_parsing": _("Une date ISO 8601 est attendue, par exemple 2026-12-03."),
    "greater_than_equal": _("La valeur doit être supérieure ou égale à %(ge)s."),
    "greater_than": _("La valeur doit être supérieure à %(gt)s."),
    "less_than_equal": _("La valeur doit être inférieure ou égale à %(le)s."),
    "less_than": _("La valeur doit être inférieure à %(lt)s."),
    "string_too_long": _("%(max_length)s caractères au plus."),
    "string_too_short": _("%(min_length)s caractères au moins."),
    "literal_error": _("Valeur inconnue : choisissez %(expected)s."),
    "enum": _("Valeur inconnue : choisissez %(expected)s."),
    "string_pattern_mismatch": _("Valeur non reconnue : elle doit suivre le motif %(pattern)s."),
    "url_parsing": _("Une adresse web complète est attendue, par exemple https://…"),
    "url_scheme": _("Une adresse web complète est attendue, par exemple https://…"),
    "model_attributes_type": _("Un objet JSON est attendu."),
    "dict_type": _("Un objet JSON est attendu."),
    "body_type": _('Le corps de la requête doit être un objet JSON, par exemple {"title": …}.'),
}


def readable(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same errors, each `msg` in the reader's language where its type is known."""
    result = []
    for error in errors:
        error = dict(error)
        message = MESSAGES.get(error.get("type", ""))
        if message is not None:
            context = dict(error.get("ctx") or {})
            if isinstance(context.get("expected"), str):
                # pydantic lists the choices as "'a', 'b' or 'c'".
                context["expected"] = context["expected"].replace(" or ", f" {_('ou')} ")
            # A context pydantic did not give leaves its own message.
            with contextlib.suppress(KeyError, TypeError, ValueError):
                error["msg"] = str(message) % context
        result.append(error)
    return result
