"""A reader for the gettext catalogue, just enough for the tests: entries with their context,
singular and plural ids, translations and flags. No dependency, so the tests need no gettext
tools installed."""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[n] for n in sorted(self.msgstr)]

    @property
    def where(self) -> str:
        if not self.references:
            return f"django.po line {self.line}"
        more = len(self.references) - 1
        return self.references[0] + (f" (and {more} more)" if more else "")


_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")\s*$")


def read(path: Path) -> list[Entry]:
    """Every entry of the catalogue, header included, obsolete ones (#~) left out."""
    entries: list[Entry] = []
    entry = Entry()
    current = None  # (attribute, plural index)

    def finish():
        nonlocal entry
        if entry.msgstr or entry.msgid or entry.msgctxt is not None:
            entries.append(entry)
        entry = Entry()

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if current and current[0] == "msgstr":
                finish()
                current = None
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#:"):
                entry.references += line[2:].split()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, text = match.groups()
            if keyword in ("msgctxt", "msgid") and current and current[0] == "msgstr":
                finish()
            if not entry.line:
                entry.line = number
            value = ast.literal_eval(text)
            if keyword.startswith("msgstr"):
                current = ("msgstr", int(index or 0))
                entry.msgstr[current[1]] = value
            else:
                current = (keyword, None)
                setattr(entry, keyword, value)
            continue
        if line.startswith('"') and current:
            value = ast.literal_eval(line)
            if current[0] == "msgstr":
                entry.msgstr[current[1]] += value
            else:
                setattr(entry, current[0], getattr(entry, current[0]) + value)
            continue
        raise ValueError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries
