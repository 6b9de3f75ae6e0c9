"""A static files finder that serves the DSFR bundle (ruche.core.dsfr_css) as a static file:
`collectstatic` collects it (hashed and compressed like the others) and DEBUG's static serving
finds it. Built into var/dsfr-css/ and rewritten only when its text changes, so that
`collectstatic_if_needed` sees it unchanged from one start to the next."""

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage, Storage

from ruche.core.dsfr_css import BUNDLE, build


def _location() -> Path:
    return Path(settings.BASE_DIR) / "var" / "dsfr-css"


def built() -> Path:
    """The bundle's file, written (atomically: several processes may build it) when stale."""
    path = _location() / BUNDLE
    text = build()
    try:
        if path.read_text() == text:
            return path
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".dsfr-", suffix=".css")
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
        if path != BUNDLE:
            return [] if find_all else None
        found = str(built())
        return [found] if find_all else found

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Storage]]:
        built()
        yield BUNDLE, FileSystemStorage(location=_location())
