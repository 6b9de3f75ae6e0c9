import re
import unicodedata
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

# Words shown to people: a str, or a translation resolved when shown (gettext_lazy).
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    Label = StrOrPromise
else:
    Label = str | Promise


def fold(text: str) -> str:
    """Lower-cases and strips accents, for accent-insensitive matching ("Hélène" → "helene")."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# C0 and C1 control characters (NUL, CR, LF, tab, escape…) and the Unicode line and paragraph
# separators: a one-line field holds none of them. Multi-line texts keep tab, LF and CR.
_NOT_IN_A_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NOT_IN_A_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def one_line(value: object) -> str:
    """`value` on one line: each run of line breaks and control characters becomes one space.
    For what must fit on one line whatever was stored (an e-mail subject)."""
    return " ".join(_NOT_IN_A_LINE.sub(" ", str(value or "")).split())


def text_errors(
    *,
    lines: dict[str, tuple[Label, object]] | None = None,
    paragraphs: dict[str, tuple[Label, object]] | None = None,
) -> dict[str, str]:
    """{field name: French message} for each value that holds a character it may not.

    `lines` maps the name of a one-line field (title, name, label, role, place…) to
    `(label, value)`, where the label names the field in the message (« Le titre »); such a
    field refuses every control character and line break. `paragraphs` does the same for
    multi-line texts (descriptions, comments), which keep their line breaks and tabs but refuse
    NUL and the other control characters."""
    errors = {}
    for name, (label, value) in (lines or {}).items():
        if isinstance(value, str) and _NOT_IN_A_LINE.search(value):
            errors[name] = _(
                "%(field)s doit tenir sur une seule ligne, sans retour à la ligne ni caractère "
                "de contrôle (tabulation, caractère nul…)."
            ) % {"field": label}
    for name, (label, value) in (paragraphs or {}).items():
        if isinstance(value, str) and _NOT_IN_A_TEXT.search(value):
            errors[name] = _(
                "%(field)s contient un caractère de contrôle invisible (caractère nul ou autre) : "
                "retirez-le."
            ) % {"field": label}
    return errors


def refuse_control_characters(
    *,
    lines: dict[str, tuple[Label, object]] | None = None,
    paragraphs: dict[str, tuple[Label, object]] | None = None,
) -> None:
    """Raises a ValidationError naming each field of `text_errors` that is refused."""
    errors = text_errors(lines=lines, paragraphs=paragraphs)
    if errors:
        raise ValidationError(errors)
