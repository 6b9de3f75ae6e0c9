"""Counted messages agree with their number: in French 0 and 1 take the singular (« 0 personne
inscrite »), in English only 1 does (« 0 people registered »). French is the source language, so
its plural rule comes from locale/fr, which `make messages` writes with bin/french-plurals."""

import gettext
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext, npgettext

from tests.i18n.po import read

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
FRENCH = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def counted():
    """Every message of the source that has a plural form."""
    entries = [entry for entry in read(ENGLISH) if entry.msgid_plural]
    assert len(entries) > 25  # guards the loops below
    return entries


def _forms(entry, numbers=(0, 1, 2)) -> list[str]:
    if entry.msgctxt is None:
        return [ngettext(entry.msgid, entry.msgid_plural, n) for n in numbers]
    return [npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n) for n in numbers]


def test_french_puts_0_and_1_in_the_singular_and_2_in_the_plural(counted):
    with translation.override("fr"):
        wrong = [
            f"{entry.where}: {forms}"
            for entry in counted
            if (forms := _forms(entry)) != [entry.msgid, entry.msgid, entry.msgid_plural]
        ]
    assert not wrong, "Run `make messages` (it writes the French plural forms):\n" + "\n".join(
        wrong
    )


def test_english_puts_only_1_in_the_singular(counted):
    with translation.override("en"):
        wrong = [
            f"{entry.where}: {forms}"
            for entry in counted
            if (forms := _forms(entry)) != [entry.msgstr[1], entry.msgstr[0], entry.msgstr[1]]
        ]
    assert not wrong, "\n".join(wrong)


def test_the_french_catalogue_is_what_make_messages_writes(tmp_path):
    """bin/french-plurals rewrites it from the English catalogue; the compiled file says the
    same."""
    written = tmp_path / "django.po"
    subprocess.run([sys.executable, ROOT / "bin" / "french-plurals", written], check=True)
    assert written.read_text(encoding="utf-8") == FRENCH.read_text(encoding="utf-8"), (
        "Run `make messages`, then commit locale/fr."
    )
    header = next(entry for entry in read(FRENCH) if entry.is_header)
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstr[0]
    with FRENCH.with_suffix(".mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for entry in read(FRENCH):
        if not entry.is_header:
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 0) == entry.msgid
            assert compiled.ngettext(entry.msgid, entry.msgid_plural, 2) == entry.msgid_plural


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("count", "french", "english"),
    [
        (0, "0 personne inscrite", "0 people registered"),
        (1, "1 personne inscrite", "1 person registered"),
        (2, "2 personnes inscrites", "2 people registered"),
    ],
)
def test_an_event_page_counts_its_registrations(client, count, french, english):
    from ruche.events.services.registrations import rsvp_register
    from tests.events.factories import EventFactory
    from tests.factories import MemberFactory

    event = EventFactory(capacity=None)
    for _n in range(count):
        rsvp_register(actor=MemberFactory(), event=event)
    client.force_login(MemberFactory())
    assert french in client.get(event.get_absolute_url()).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # The middleware activates English in this thread: give the next tests back their language.
    with translation.override(translation.get_language()):
        assert english in client.get(event.get_absolute_url()).text
