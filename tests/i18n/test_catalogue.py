"""The English catalogue is complete, faithful to its placeholders, compiled, and up to date
with the source. French is the source language: every msgid is French, every msgstr English.

When one of these tests fails after you added or changed UI text: run `make messages`, translate
every new or changed entry of locale/en/LC_MESSAGES/django.po (no empty msgstr, no "fuzzy"),
then commit both django.po and django.mo."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.i18n.po import read

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
HOW_TO_FIX = (
    "Run `make messages`, translate the entries in locale/en/LC_MESSAGES/django.po, "
    "then commit django.po and django.mo."
)

# %(name)s, %(n)02d, %s, %d (python-format) and {name} (str.format, used by notification
# subjects); "%%" is a literal per cent sign.
_PERCENT = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]")
_BRACES = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z0-9_]*\}(?!\})")
# Only HTML elements: "<jeton>" in an API message is text, not markup.
_TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|li|p|span|strong|ul)\b[^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(_PERCENT.findall(text.replace("%%", "")) + _BRACES.findall(text))


def tags(text: str) -> list[str]:
    return sorted(_TAG.findall(text))


@pytest.fixture(scope="module")
def entries():
    return [entry for entry in read(CATALOGUE) if not entry.is_header]


def test_the_catalogue_has_entries(entries):
    # Guards the other tests: an empty or unreadable catalogue would pass them all.
    assert len(entries) > 1000


def test_every_entry_is_translated(entries):
    untranslated = [
        f"{entry.where}: {entry.msgid!r}"
        for entry in entries
        if not all(text.strip() for text in entry.translations)
        or len(entry.translations) != (2 if entry.msgid_plural else 1)
    ]
    assert not untranslated, (
        f"{len(untranslated)} entries have no English translation:\n"
        + "\n".join(untranslated)
        + f"\n{HOW_TO_FIX}"
    )


def test_no_entry_is_fuzzy(entries):
    fuzzy = [f"{entry.where}: {entry.msgid!r}" for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, (
        "These entries are marked fuzzy (a guess by msgmerge, never shown to users): check the "
        "translation, then remove the fuzzy flag.\n" + "\n".join(fuzzy) + f"\n{HOW_TO_FIX}"
    )


def test_the_header_is_not_fuzzy_and_declares_english_plurals():
    header = next(entry for entry in read(CATALOGUE) if entry.is_header)
    assert "fuzzy" not in header.flags, "A fuzzy header is ignored by msgfmt: remove the flag."
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_translations_keep_every_placeholder(entries):
    wrong = []
    for entry in entries:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid, entry.msgid_plural]
        for source, translation in zip(sources, entry.translations, strict=False):
            if placeholders(source) != placeholders(translation):
                wrong.append(
                    f"{entry.where}: {source!r} has {placeholders(source)}, "
                    f"its translation {translation!r} has {placeholders(translation)}"
                )
    assert not wrong, (
        "Placeholders must be the same in the translation (a missing one loses information, an "
        "unknown one raises at run time):\n" + "\n".join(wrong)
    )


def test_translations_keep_the_markup(entries):
    wrong = [
        f"{entry.where}: {entry.msgid!r} → {translation!r}"
        for entry in entries
        for translation in entry.translations
        if tags(entry.msgid) != tags(translation)
    ]
    assert not wrong, "Translations must keep the same HTML tags:\n" + "\n".join(wrong)


def test_the_placeholder_check_can_fail():
    assert placeholders("Bonjour %(name)s, {title} à %s") == ["%(name)s", "%s", "{title}"]
    assert placeholders("Hello %(nom)s") != placeholders("Bonjour %(name)s")
    assert placeholders("100 %% sûr") == []


def test_the_compiled_catalogue_matches_the_po_file(entries):
    """django.mo is what Django reads: it must say exactly what django.po says."""
    with COMPILED.open("rb") as file:
        compiled = dict(gettext.GNUTranslations(file)._catalog)
    compiled.pop("", None)
    expected = {}
    for entry in entries:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[key] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(key, index)] = text
    keys = expected.keys() | compiled.keys()
    stale = sorted(repr(key) for key in keys if expected.get(key) != compiled.get(key))
    assert not stale, (
        f"django.mo is out of date with django.po ({len(stale)} differences, e.g. "
        f"{', '.join(stale[:5])}). Run `make messages` (it compiles), then commit django.mo."
    )


def _source_copy(destination: Path) -> None:
    """What `make messages` reads: the project without .venv, tests, var (nor .git)."""
    skipped = {".venv", "tests", "var", ".git", "staticfiles", "node_modules"}
    for child in ROOT.iterdir():
        if child.name in skipped:
            continue
        if child.is_dir():
            shutil.copytree(
                child, destination / child.name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(child, destination / child.name)


def test_the_catalogue_holds_every_string_of_the_source(entries, tmp_path):
    """A string marked in the code but not in the catalogue shows in French on English pages;
    an entry whose string left the code is dead weight. Extracts the strings again, as
    `make messages` does, into a copy, and compares."""
    if shutil.which("xgettext") is None:
        reason = "xgettext not found: install Debian's gettext package to check the catalogue."
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    _source_copy(tmp_path)
    extraction = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "en",
            "--no-obsolete",
            "--ignore=.venv",
            "--ignore=tests",
            "--ignore=var",
        ],
        cwd=tmp_path,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        capture_output=True,
        text=True,
    )
    assert extraction.returncode == 0, f"makemessages failed:\n{extraction.stderr}"
    extracted = read(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")

    def ids(found):
        return {
            (entry.msgctxt, entry.msgid, entry.msgid_plural)
            for entry in found
            if not entry.is_header
        }

    missing = sorted(ids(extracted) - ids(entries), key=str)
    obsolete = sorted(ids(entries) - ids(extracted), key=str)
    assert not missing, (
        "Strings marked for translation in the code are missing from the English catalogue:\n"
        + "".join(f"  {msgid!r}\n" for _ctx, msgid, _plural in missing)
        + HOW_TO_FIX
    )
    assert not obsolete, (
        "The English catalogue holds strings the code no longer has:\n"
        + "".join(f"  {msgid!r}\n" for _ctx, msgid, _plural in obsolete)
        + HOW_TO_FIX
    )
