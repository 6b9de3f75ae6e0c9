"""Accessibility checks run on a page open in the browser: axe-core with the WCAG 2.1 A and AA
rules and a few best practices, reflow at 320 CSS pixels (WCAG 1.4.10, which axe does not test),
and the structure every Ruche page must have (lang="fr", or "en" once a visitor chose English, a
skip link to the content, exactly one h1, a title)."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Best practices outside those tags that our conventions promise (headings in order, landmarks).
EXTRA_RULES = [
    "heading-order",
    "empty-heading",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "region",
    "aria-allowed-role",
    "empty-table-header",
]
_axe = Axe()

_STRUCTURE = """
() => ({
  lang: document.documentElement.getAttribute("lang"),
  title: document.title.trim(),
  h1: document.querySelectorAll("h1").length,
  skipLink: !!document.querySelector('.fr-skiplinks a[href="#content"]'),
  content: !!document.getElementById("content"),
})
"""


def axe_violations(page) -> list[str]:
    """One readable line per element in violation: rule, impact, target, page, and the fix."""
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_TAGS},
            "rules": {rule: {"enabled": True} for rule in EXTRA_RULES},
            "resultTypes": ["violations"],
        },
    )
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(
                f"{page.url}: {violation['id']} ({violation['impact']}) — {violation['help']}\n"
                f"    target: {target}\n    {summary}\n    {violation['helpUrl']}"
            )
    return lines


def structure_problems(page, lang: str = "fr") -> list[str]:
    found = page.evaluate(_STRUCTURE)
    problems = []
    if found["lang"] != lang:
        problems.append(f'{page.url}: <html lang="{found["lang"]}">, expected "{lang}"')
    if not found["title"]:
        problems.append(f"{page.url}: no <title>")
    if found["h1"] != 1:
        problems.append(f"{page.url}: {found['h1']} <h1>, expected exactly one")
    if not (found["skipLink"] and found["content"]):
        problems.append(f"{page.url}: no skip link to #content")
    return problems


REFLOW_WIDTH = 320
_WIDER_THAN_SCREEN = """
(width) => [...document.querySelectorAll("body *")]
  .filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  })
  .filter((el) => !el.closest(".fr-sr-only, .fr-hidden"))
  .slice(0, 5)
  .map((el) => {
    const text = (el.textContent || "").trim().slice(0, 50);
    return `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} «${text}»`;
  })
"""


def reflow_problems(page) -> list[str]:
    """WCAG 1.4.10: at 320 CSS pixels wide, the page must not scroll sideways."""
    original = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": original["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        if width <= REFLOW_WIDTH:
            return []
        culprits = page.evaluate(_WIDER_THAN_SCREEN, REFLOW_WIDTH)
        return [f"{page.url}: {width}px wide at {REFLOW_WIDTH}px (reflow): " + "; ".join(culprits)]
    finally:
        page.set_viewport_size(original)


def accessibility_problems(page, lang: str = "fr") -> list[str]:
    return structure_problems(page, lang) + axe_violations(page) + reflow_problems(page)


def assert_accessible(page):
    problems = accessibility_problems(page)
    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
