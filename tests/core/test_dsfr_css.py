"""Pages load one DSFR sheet, the core plus the components and icons Ruche uses
(ruche/core/dsfr_css.py), not the whole DSFR. These tests fail when a template (or a form, or a
template tag) uses a DSFR class whose rules that sheet leaves out."""

import posixpath
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from ruche.core import dsfr_css, dsfr_js

ROOT = Path(settings.BASE_DIR)
DSFR_TEMPLATES = dsfr_css.DIST.parent.parent.parent / "templates" / "dsfr"
# django-dsfr's own templates that Ruche's pages render: its base, and what the base and
# Ruche's forms (DsfrBaseForm, and the widgets Ruche's forms use) include.
RENDERED_DSFR_TEMPLATES = [
    "base.html",
    "skiplinks.html",
    "notice.html",
    "theme_modale.html",
    "form_snippet.html",
    "form_field_snippets/input_snippet.html",
    "form_field_snippets/checkbox_snippet.html",
    "form_field_snippets/checkboxselectmultiple_snippet.html",
    "form_field_snippets/radioselect_snippet.html",
]
CLASS = re.compile(r"(?<![\w-])fr-[a-z0-9]+(?:-{1,2}[a-z0-9]+|__[a-z0-9]+)*")
# Class prefixes that are not a component's name: the component whose sheet styles them.
ALIASES = {"btn": "button", "btns": "button", "nav": "navigation", "skiplinks": "skiplink"}


def _sources() -> list[Path]:
    """Where Ruche writes DSFR classes: templates, Python (form widgets, template tags), JS."""
    ours = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static").rglob("*.js")]
    ours += [path for path in (ROOT / "ruche").rglob("*") if path.suffix in {".html", ".py"}]
    return ours + [DSFR_TEMPLATES / name for name in RENDERED_DSFR_TEMPLATES]


def classes_in(text: str) -> set[str]:
    return set(CLASS.findall(text))


@cache
def used_classes() -> dict[str, str]:
    """Each DSFR class used, with one file that uses it."""
    used = {}
    for path in _sources():
        for name in classes_in(path.read_text()):
            used.setdefault(name, str(path))
    return used


@cache
def _dsfr_sheets() -> dict[str, str]:
    """Every stylesheet the DSFR ships (core, components, utility icons), by name."""
    sheets = {"core": (dsfr_css.DIST / "core/core.main.min.css").read_text()}
    for folder in sorted((dsfr_css.DIST / "component").iterdir()):
        sheet = dsfr_css.DIST / dsfr_css.component_sheet(folder.name)
        if sheet.exists():
            sheets[folder.name] = sheet.read_text()
    sheets["utility"] = (dsfr_css.DIST / "utility/utility.main.min.css").read_text()
    return sheets


def _styled(name: str, css: str) -> bool:
    return re.search(rf"\.{re.escape(name)}(?![\w-])", css) is not None


def component_of(name: str) -> str | None:
    """The DSFR component a class belongs to by its prefix (fr-<component>…), if any."""
    components = set(_dsfr_sheets()) - {"core", "utility"}
    stem = name.removeprefix("fr-")
    first = re.split(r"-|_", stem)[0]
    if first in ALIASES:
        return ALIASES[first]
    candidates = [c for c in components if stem == c or stem.startswith((f"{c}-", f"{c}_"))]
    return max(candidates, key=len) if candidates else None


def missing(names, bundle: str) -> list[str]:
    """The classes among `names` that the bundle does not style though the DSFR does, or whose
    component's sheet the bundle leaves out."""
    problems = []
    for name in sorted(names):
        component = component_of(name)
        if component and component not in dsfr_css.COMPONENTS:
            problems.append(f"{name}: component « {component} » not in COMPONENTS")
        elif not _styled(name, bundle) and any(
            _styled(name, css) for css in _dsfr_sheets().values()
        ):
            problems.append(f"{name}: styled by the DSFR, not by the bundle")
    return problems


def test_every_dsfr_class_ruche_uses_is_styled_by_the_bundle():
    used = used_classes()
    assert {"fr-btn", "fr-header", "fr-icon-add-line", "fr-radio-group"} <= set(used)
    problems = [
        f"{problem} (used in {used[problem.split(':')[0]]})"
        for problem in missing(used, dsfr_css.build())
    ]
    assert not problems, "Add to ruche/core/dsfr_css.py:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "html",
    [
        '<div class="fr-accordion">',  # a component left out
        '<span class="fr-icon-alarm-warning-line">',  # an icon left out
        '<p class="fr-background-alt--blue-france">',  # a utility class left out
    ],
)
def test_a_class_left_out_is_reported(html):
    """Guards the check itself."""
    assert missing(classes_in(html), dsfr_css.build())


def test_a_class_of_a_component_in_the_bundle_passes():
    assert not missing(
        classes_in('<a class="fr-btn fr-btn--secondary fr-icon-add-line">'), dsfr_css.build()
    )


def test_every_url_of_the_bundle_names_a_static_file():
    bundle = dsfr_css.build()
    urls = {url for _quote, url in dsfr_css.URL.findall(bundle) if not url.startswith("data:")}
    assert any("Marianne-Regular.woff2" in url for url in urls)
    for url in urls:
        name = posixpath.normpath(posixpath.join(posixpath.dirname(dsfr_css.BUNDLE), url))
        assert finders.find(name), url


@pytest.mark.django_db
def test_pages_load_the_bundle_not_the_whole_dsfr(client):
    html = client.get("/").content.decode()
    assert "ruche/css/dsfr.css" in html
    assert "dsfr.min.css" not in html
    assert "utility.min.css" not in html
    assert "dsfr-django-overrides.css" not in html  # it is in the bundle
    assert finders.find(dsfr_css.BUNDLE)


# The DSFR script: the core, the scheme and the scripts of the components Ruche uses
# (ruche/core/dsfr_js.py), not the whole DSFR script.


@cache
def _scripted_components() -> set[str]:
    """The DSFR components that ship a script of their own."""
    return {
        folder.name
        for folder in (dsfr_css.DIST / "component").iterdir()
        if (folder / f"{folder.name}.module.min.js").exists()
    }


def missing_scripts(names) -> list[str]:
    """The classes among `names` whose component has a script the bundle leaves out."""
    problems = []
    for name in sorted(names):
        stem = name.removeprefix("fr-")
        first = re.split(r"-|_", stem)[0]
        component = {**ALIASES, "tabs": "tab"}.get(first, first)
        if component in _scripted_components() and component not in dsfr_js.COMPONENTS:
            problems.append(f"{name}: component « {component} » not in dsfr_js.COMPONENTS")
    return problems


def test_every_dsfr_component_ruche_uses_has_its_script_in_the_bundle():
    used = used_classes()
    assert {"fr-header", "fr-modal", "fr-nav", "fr-sidemenu"} <= set(used)
    problems = [
        f"{problem} (used in {used[problem.split(':')[0]]})" for problem in missing_scripts(used)
    ]
    assert not problems, "Add to ruche/core/dsfr_js.py:\n" + "\n".join(problems)


@pytest.mark.parametrize("html", ['<div class="fr-accordion">', '<div class="fr-tabs">'])
def test_a_script_left_out_is_reported(html):
    """Guards the check itself."""
    assert missing_scripts(classes_in(html))


def test_the_script_bundle_holds_the_core_the_scheme_and_each_component_in_a_block():
    bundle = dsfr_js.build()
    for source in dsfr_js.scripts():
        assert (dsfr_css.DIST / source).exists(), source
        assert f"/* {source} */\n{{\n" in bundle
    assert dsfr_js.scripts()[:2] == ["core/core.module.min.js", "scheme/scheme.module.min.js"]
    assert {"header", "modal", "navigation"} <= dsfr_js.COMPONENTS


@pytest.mark.django_db
def test_pages_load_the_script_bundle_not_the_whole_dsfr_script(client):
    html = client.get("/").content.decode()
    assert re.search(r'<script type="module"\s+src="[^"]*ruche/js/dsfr\.js"', html)
    assert "dsfr.module.min.js" not in html
    assert finders.find(dsfr_js.BUNDLE)
