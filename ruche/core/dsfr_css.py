"""The one stylesheet of the DSFR that Ruche's pages load: the DSFR core, the sheets of the
components Ruche's templates use and the rules of the icons they show — instead of the whole
DSFR sheet and its utility sheet (about 155 KiB of render-blocking CSS, most of it unused).

The DSFR ships one stylesheet per component (dist/component/<name>/<name>.main.min.css; the
`.min.css` files add the `legacy` rules for browsers without CSS variables, left out here). The
bundle concatenates them in the DSFR's own order, its relative `url()`s rewritten for where it
is served, and is built by a static files finder (ruche.core.finders), so `collectstatic` and
DEBUG's static serving both find it. tests/core/test_dsfr_css.py fails when a template uses a
DSFR component or icon whose rules the bundle leaves out.
"""

import posixpath
import re
from functools import cache
from pathlib import Path

import dsfr

# The name the bundle is served under (`{% static %}`), beside Ruche's own stylesheet.
BUNDLE = "ruche/css/dsfr.css"
# Where the DSFR's stylesheets are, and their name under STATIC_URL.
DIST = Path(dsfr.__file__).resolve().parent / "static" / "dsfr" / "dist"
DIST_STATIC = "dsfr/dist"
# Every DSFR component, in the order of the DSFR's full sheet (dsfr.main.min.css): the cascade
# between components stays as the DSFR designed it.
DSFR_ORDER = [
    "upload",
    "range",
    "accordion",
    "badge",
    "logo",
    "button",
    "connect",
    "quote",
    "breadcrumb",
    "form",
    "stepper",
    "tooltip",
    "link",
    "sidemenu",
    "callout",
    "highlight",
    "tab",
    "pagination",
    "summary",
    "tag",
    "alert",
    "notice",
    "radio",
    "card",
    "checkbox",
    "input",
    "content",
    "segmented",
    "toggle",
    "skiplink",
    "select",
    "modal",
    "navigation",
    "share",
    "footer",
    "tile",
    "search",
    "consent",
    "follow",
    "password",
    "translate",
    "table",
    "transcription",
    "header",
]
# The components Ruche's templates use (theirs, and django-dsfr's base, theme modal, skip
# links, notice and form field snippets that they render).
COMPONENTS = frozenset(
    [
        "alert",
        "badge",
        "breadcrumb",
        "button",
        "callout",
        "card",
        "checkbox",
        "connect",
        "footer",
        "form",
        "header",
        "input",
        "link",
        "logo",
        "modal",
        "navigation",
        "notice",
        "pagination",
        "radio",
        "search",
        "select",
        "sidemenu",
        "skiplink",
        "table",
        "tag",
        "upload",
    ]
)
# The icons shown by class (`fr-icon-<name>`); the components' own icons are in their sheets.
ICONS = frozenset(
    [
        "account-circle-line",
        "add-line",
        "arrow-left-line",
        "arrow-right-line",
        "calendar-2-line",
        "calendar-line",
        "check-line",
        "download-line",
        "flag-line",
        "lock-line",
        "logout-box-r-line",
        "notification-3-line",
        "rss-line",
        "settings-5-line",
        "theme-fill",
        "thumb-up-line",
        "user-add-line",
    ]
)
URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")
LICENCE = re.compile(r"^/\*!.*?\*/", re.DOTALL)


def component_sheet(name: str) -> str:
    """A component's stylesheet, relative to DIST."""
    return f"component/{name}/{name}.main.min.css"


def sheets() -> list[str]:
    """The sheets of the bundle, relative to DIST, in order (the icons' rules come after)."""
    return ["core/core.main.min.css"] + [
        component_sheet(name) for name in DSFR_ORDER if name in COMPONENTS
    ]


def _rebase(css: str, source: str) -> str:
    """Rewrites the relative url()s of `source` (relative to DIST) for the bundle's place."""
    folder = posixpath.dirname(posixpath.join(DIST_STATIC, source))

    def rebased(match: re.Match[str]) -> str:
        url = match.group(2)
        if url.startswith(("data:", "/", "#", "http:", "https:")):
            return str(match.group(0))
        target = posixpath.normpath(posixpath.join(folder, url))
        return f"url({posixpath.relpath(target, posixpath.dirname(BUNDLE))})"

    return URL.sub(rebased, css)


def _rules(css: str) -> list[str]:
    """The top-level rules and at-rule blocks of minified CSS, each whole."""
    rules, depth, start = [], 0, 0
    for index, char in enumerate(css):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                rules.append(css[start : index + 1].strip())
                start = index + 1
    return rules


def _icon_rule(rule: str, wanted: re.Pattern[str]) -> str | None:
    """The rule kept when it styles only wanted icons; at-rule blocks filtered within."""
    selector, _brace, body = rule.partition("{")
    if selector.startswith("@"):
        kept = [inner for inner in _rules(body[:-1]) if _icon_rule(inner, wanted)]
        return f"{selector}{{{''.join(kept)}}}" if kept else None
    names = re.findall(r"\.fr-(?:icon|fi)-([a-z0-9-]+?)(?=[:.\s,>+~\[]|$)", selector)
    return rule if names and all(wanted.fullmatch(name) for name in names) else None


def icon_rules() -> str:
    """The rules of the utility sheet's icons that Ruche shows, nothing else of that sheet."""
    source = "utility/icons/icons.main.min.css"
    css = LICENCE.sub("", (DIST / source).read_text())
    wanted = re.compile("|".join(re.escape(name) for name in sorted(ICONS)))
    kept = [rule for rule in _rules(css) if _icon_rule(rule, wanted)]
    return _rebase("".join(kept), source)


@cache
def build() -> str:
    """The bundle's text: one DSFR licence header, then each sheet without its own."""
    licence = LICENCE.match((DIST / "core/core.main.min.css").read_text())
    parts = [licence.group(0) if licence else ""]
    for source in sheets():
        css = LICENCE.sub("", (DIST / source).read_text())
        parts.append(_rebase(css, source))
    parts.append(icon_rules())
    overrides = DIST.parent.parent / "css" / "dsfr-django-overrides.css"
    parts.append(overrides.read_text())
    return "\n".join(parts) + "\n"
