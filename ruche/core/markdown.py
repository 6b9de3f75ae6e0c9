"""User-written markdown, rendered to HTML that is safe to show to anyone.

markdown-it parses with raw HTML disabled; nh3 (ammonia) then keeps only an allow-list of tags and
attributes and drops any URL scheme other than http, https and mailto. Both steps matter: the
parser is not a sanitiser, and the sanitiser alone would keep markdown's own `javascript:` links.
"""

import html
import re
from collections.abc import Callable, Iterable

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

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


# `@prenom.nom`: a member's beta.gouv identifier, not the end of an e-mail address.
MENTION = re.compile(r"(?<![\w.@])@([a-z0-9](?:[a-z0-9._-]*[a-z0-9])?)", re.IGNORECASE)
# handles (lower case) → {handle: URL of the member's profile}, for those who exist.
MentionResolver = Callable[[set[str]], dict[str, str]]


def _mentionable(tokens: list[Token]) -> Iterable[tuple[Token, int]]:
    """The text tokens where a mention may be linked (each with its index in its line): not
    inside a link, nor in code, which markdown-it keeps in tokens of their own."""
    for block in tokens:
        if block.type != "inline" or not block.children:
            continue
        depth = 0
        for index, child in enumerate(block.children):
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0:
                yield block, index


def _children(block: Token) -> list[Token]:
    """The tokens of an inline block, which `_mentionable` only yields with children."""
    assert block.children is not None
    return block.children


def _link_mentions(tokens: list[Token], resolve: MentionResolver) -> None:
    found = {
        handle.lower()
        for block, index in _mentionable(tokens)
        for handle in MENTION.findall(_children(block)[index].content)
    }
    if not found:
        return
    urls = resolve(found)  # one query for every mention of the text
    if not urls:
        return
    # From the end, so that indexes met later stay right.
    for block, index in reversed(list(_mentionable(tokens))):
        text = _children(block)[index].content
        pieces, last = [], 0
        for match in MENTION.finditer(text):
            url = urls.get(match[1].lower())
            if url is None:
                continue
            pieces.append(_text(text[last : match.start()]))
            link = Token("link_open", "a", 1)
            link.attrSet("href", url)
            pieces += [link, _text(match[0]), Token("link_close", "a", -1)]
            last = match.end()
        if pieces:
            _children(block)[index : index + 1] = [*pieces, _text(text[last:])]


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def render_markdown(text: str, *, mentions: MentionResolver | None = None) -> SafeString:
    """`mentions`, when given, links each `@prenom.nom` of a member who exists to their
    profile (the others stay text)."""
    tokens = _parser.parse(text or "")
    if mentions is not None:
        _link_mentions(tokens, mentions)
    html = _align_cells(_demote_headings(_parser.renderer.render(tokens, _parser.options, {})))
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
