"""A static files finder that serves the DSFR bundles — the stylesheet (ruche.core.dsfr_css) and
the script (ruche.core.dsfr_js) — as static files: `collectstatic` collects them (hashed and
compressed like the others) and DEBUG's static serving finds them. Built into var/dsfr-css/
and rewritten only when their text changes, so that `collectstatic_if_needed` sees them
unchanged from one start to the next."""

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage, Storage

from ruche.core import dsfr_css, dsfr_js

# Each bundle's name under STATIC_URL, and what builds its text.
BUNDLES = {dsfr_css.BUNDLE: dsfr_css.build, dsfr_js.BUNDLE: dsfr_js.build}


def _location() -> Path:
    return Path(settings.BASE_DIR) / "var" / "dsfr-css"


def built(name: str = dsfr_css.BUNDLE) -> Path:
    """A bundle's file, written (atomically: several processes may build it) when stale."""
    path = _location() / name
    text = BUNDLES[name]()
    try:
        if path.read_text() == text:
            return path
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".dsfr-", suffix=path.suffix)
    with os.fdopen(fd, "w") as output:
        output.write(text)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return path


class DsfrBundleFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Any]:
        return []

    # The stubs declare overloads on find_all; one signature serves both here.
    def find(  # type: ignore[override]
        self, path: str, find_all: bool = False, **kwargs: Any
    ) -> str | list[str] | None:
        if path not in BUNDLES:
            return [] if find_all else None
        found = str(built(path))
        return [found] if find_all else found

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Storage]]:
        for name in BUNDLES:
            built(name)
            yield name, FileSystemStorage(location=_location())
