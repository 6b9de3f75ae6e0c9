"""User-written markdown, rendered to HTML that is safe to show to anyone.

markdown-it parses with raw HTML disabled; nh3 (ammonia) then keeps only an allow-list of tags and
attributes and drops any URL scheme other than http, https and mailto. Both steps matter: the
parser is not a sanitiser, and the sanitiser alone would keep markdown's own `javascript:` links.
"""

import html
import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


_CELL_ALIGN = re.compile(r'<(th|td) style="text-align:(left|center|right)">')


def _demote_headings(html: str) -> str:
    # A user's "# Title" must not compete with the page's own h1.
    return html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")


def _align_cells(html: str) -> str:
    # The parser aligns table cells with style="", which the sanitiser (and the CSP) drop.
    return _CELL_ALIGN.sub(r'<\1 align="\2">', html)


def render_markdown(text: str) -> SafeString:
    html = _align_cells(_demote_headings(_parser.render(text or "")))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )
    # Safe: nh3 has just kept only the allowed tags, attributes and link schemes.
    return mark_safe(clean)  # nosec B308 B703


def plain_text(text: str) -> str:
    """The text of a markdown document without any markup, for e-mails, calendars and feeds:
    characters as they are ("R&D", not "R&amp;D"), so whoever puts it into HTML escapes it."""
    return html.unescape(nh3.clean(_parser.render(text or ""), tags=set())).strip()
