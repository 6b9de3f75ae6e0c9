"""The one script of the DSFR that Ruche's pages load: the DSFR core, the colour scheme and the
scripts of the components Ruche's templates use — instead of the whole DSFR script
(dsfr.module.min.js), whose every component boots on every page and scans it.

The DSFR ships one ES module per component (dist/component/<name>/<name>.module.min.js), each
reading the core from `window.dsfr`. The bundle runs them in one module script, in the DSFR's
order, each inside its own block so that their top-level names do not clash. Built by the
static files finder (ruche.core.finders) like the stylesheet (ruche.core.dsfr_css);
tests/core/test_dsfr_css.py fails when a template uses a DSFR component whose script the
bundle leaves out. Browsers without ES modules keep the DSFR's full `nomodule` script.
"""

from functools import cache

from ruche.core.dsfr_css import DIST, LICENCE

BUNDLE = "ruche/js/dsfr.js"
# Every DSFR component with a script, in the order of the DSFR's full script (after the core
# and the scheme).
DSFR_ORDER = [
    "accordion",
    "button",
    "card",
    "checkbox",
    "segmented",
    "breadcrumb",
    "tooltip",
    "toggle",
    "sidemenu",
    "modal",
    "password",
    "navigation",
    "tab",
    "tag",
    "transcription",
    "tile",
    "range",
    "header",
    "display",
    "table",
]
# The components with a script that Ruche's templates use (theirs and django-dsfr's base,
# theme modal and form field snippets that they render). "display" is the theme modal's
# switch; the scheme script applies the chosen (or the system's) colour scheme.
COMPONENTS = frozenset(
    [
        "breadcrumb",
        "button",
        "card",
        "checkbox",
        "display",
        "header",
        "modal",
        "navigation",
        "sidemenu",
        "table",
        "tag",
    ]
)


def scripts() -> list[str]:
    """The scripts of the bundle, relative to DIST, in order."""
    return [
        "core/core.module.min.js",
        "scheme/scheme.module.min.js",
        *(f"component/{name}/{name}.module.min.js" for name in DSFR_ORDER if name in COMPONENTS),
    ]


@cache
def build() -> str:
    """The bundle's text: one DSFR licence header, then each script in a block of its own."""
    licence = LICENCE.match((DIST / "core/core.module.min.js").read_text())
    parts = [licence.group(0) if licence else ""]
    for source in scripts():
        script = LICENCE.sub("", (DIST / source).read_text()).strip()
        parts.append(f"/* {source} */\n{{\n{script}\n}}")
    return "\n".join(parts) + "\n"
