"""User markdown is untrusted: whatever is written, the HTML that comes out runs nothing."""

import re
from html.parser import HTMLParser

import pytest

from ruche.core.markdown import ALLOWED_SCHEMES, ALLOWED_TAGS, plain_text, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<p style="background:url(javascript:alert(1))">stylé</p>',
    '<div style="position:fixed;inset:0">voile</div>',
    "<style>body{display:none}</style>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="#" onclick="alert(1)">clic</a>',
    '<form action="https://evil.example/"><input name="x"><button>Envoyer</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<details open ontoggle="alert(1)">x</details>',
    "<!-- <script>alert(1)</script> -->",
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic]( javascript:alert(1) )",
    "[clic](<javascript:alert(1)>)",
    "[clic](java\tscript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1))",
    "[clic](javascript&colon;alert(1))",
    "[clic](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](VBScript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[clic](DATA:text/html,<script>alert(1)</script>)",
    "[clic](file:///etc/passwd)",
    '[clic](https://ok.example/ "titre" onmouseover="alert(1)")',
    "[clic][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![img](https://ok.example/x.png"onerror="alert(1))',
    "<a href='jav&#x09;ascript:alert(1)'>clic</a>",
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112'
    '&#0000116&#0000058alert(1)">clic</a>',
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
    "> <img src=x onerror=alert(1)>",
    "* <iframe src=//evil.example>",
    "# <img src=x onerror=alert(1)> titre",
    "\u202e<script>alert(1)</script>",
]
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class _Collector(HTMLParser):
    """Every element and attribute of the output, as a browser would parse them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _elements(html):
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.elements


def _scheme_of(url):
    # Browsers drop ASCII whitespace and control characters anywhere in a URL's scheme.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", squeezed)
    return match.group(1) if match else None


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_renders_inert(source):
    html = str(render_markdown(source))

    for tag, attrs in _elements(html):
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name not in {"style", "src", "srcdoc", "formaction", "xlink:href"}, html
            if name == "href":
                scheme = _scheme_of(value or "")
                assert scheme is None or scheme in ALLOWED_SCHEMES, html
                squeezed = re.sub(r"[\x00-\x20\x7f]", "", value or "").lower()
                assert not squeezed.startswith(DANGEROUS_SCHEMES), html
    assert not re.search(r"<\s*(script|iframe|svg|img|style|object|embed|form|meta|base)", html)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_input_is_also_harmless_as_plain_text(source):
    """Plain text keeps what the member typed, as characters; it is never marked safe, so a
    template escapes it like any other text."""
    from django.template import Context, Template
    from django.utils.safestring import SafeString

    text = plain_text(source)

    assert not isinstance(text, SafeString)
    rendered = Template("{{ text }}").render(Context({"text": text}))
    assert not re.search(r"<\s*(script|img|svg|iframe)", rendered, re.IGNORECASE)


def test_lists_links_code_tables_and_emphasis_are_kept():
    source = "\n".join(
        [
            "Un **café** le *jeudi*, ~~mardi~~.",
            "",
            "- première",
            "- seconde",
            "",
            "3. trois",
            "4. quatre",
            "",
            '[Le site](https://beta.gouv.fr/ "beta") et <https://ruche.example/> et'
            " [écrire](mailto:contact@beta.gouv.fr) et [la page](/initiatives/1/)",
            "",
            "Du `code` en ligne.",
            "",
            "```python",
            "print('<bonjour>')",
            "```",
            "",
            "> Une citation",
            "",
            "| Jour | Qui |",
            "|:-----|----:|",
            "| jeudi | Inès |",
            "",
            "---",
        ]
    )

    html = str(render_markdown(source))

    assert "<strong>café</strong>" in html
    assert "<em>jeudi</em>" in html
    assert "<s>mardi</s>" in html or "<del>mardi</del>" in html
    assert "<ul>\n<li>première</li>\n<li>seconde</li>\n</ul>" in html
    assert '<ol start="3">' in html
    link = '<a href="https://beta.gouv.fr/" title="beta" rel="noopener noreferrer nofollow ugc">'
    assert link in html
    assert 'href="https://ruche.example/"' in html
    assert 'href="mailto:contact@beta.gouv.fr"' in html
    assert 'href="/initiatives/1/"' in html
    assert "<code>code</code>" in html
    assert "<pre><code>print('&lt;bonjour&gt;')\n</code></pre>" in html
    assert "<blockquote>\n<p>Une citation</p>\n</blockquote>" in html
    assert "<table>" in html
    assert '<th align="left">Jour</th>' in html
    assert '<td align="right">Inès</td>' in html
    assert "<hr>" in html


def test_every_link_is_marked_as_user_content():
    html = str(render_markdown("[a](https://a.example/) [b](/b/)"))

    assert html.count('rel="noopener noreferrer nofollow ugc"') == 2


def test_headings_stay_below_the_pages_own_h1():
    html = str(render_markdown("# Titre\n\nTitre souligné\n===\n\n## Partie\n\n### Détail"))

    assert "<h1" not in html
    assert html.count("<h2>") == 3
    assert "<h3>Détail</h3>" in html


def test_text_that_looks_like_html_is_shown_not_dropped():
    html = str(render_markdown("Utilisez <strong> pour 2 < 3 & co."))

    assert "&lt;strong&gt;" in html
    assert "2 &lt; 3 &amp; co." in html


def test_the_template_filter_renders_safely():
    from django.template import engines

    template = engines["django"].from_string("{% load ruche %}{{ text|markdown }}")

    html = template.render({"text": "**gras** <script>alert(1)</script>"})

    assert "<strong>gras</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_empty_text_renders_nothing():
    assert str(render_markdown("")) == ""
    assert str(render_markdown(None)) == ""


def test_plain_text_keeps_the_characters_themselves():
    from ruche.core.markdown import plain_text

    assert plain_text("**R&D** et \\<i> « 3 < 4 »") == "R&D et <i> « 3 < 4 »"


def _profiles(asked: list) -> callable:
    def resolve(handles):
        asked.append(set(handles))
        known = {"camille.laurent": "/membres/7/", "sacha.moreau": "/membres/8/"}
        return {handle: url for handle, url in known.items() if handle in handles}

    return resolve


def test_mentions_of_members_link_to_their_profile_with_one_lookup():
    asked = []
    html = str(
        render_markdown(
            "Merci @camille.laurent et @Sacha.Moreau ! Et @personne.inconnue ?",
            mentions=_profiles(asked),
        )
    )

    assert (
        '<a href="/membres/7/" rel="noopener noreferrer nofollow ugc">@camille.laurent</a>' in html
    )
    assert '<a href="/membres/8/" rel="noopener noreferrer nofollow ugc">@Sacha.Moreau</a>' in html
    assert "Et @personne.inconnue ?" in html
    assert asked == [{"camille.laurent", "sacha.moreau", "personne.inconnue"}]


def test_mentions_stay_text_in_code_links_and_addresses():
    asked = []
    text = (
        "`@camille.laurent` [voir @camille.laurent](https://example.org) "
        "camille@camille.laurent.fr\n\n```\n@camille.laurent\n```"
    )

    html = str(render_markdown(text, mentions=_profiles(asked)))

    assert "/membres/7/" not in html
    assert asked == []


def test_a_text_without_mentions_asks_nothing():
    asked = []
    assert str(render_markdown("**Bonjour** à toutes et tous", mentions=_profiles(asked)))
    assert asked == []


@pytest.mark.django_db
def test_the_template_filter_links_members_in_one_query(django_assert_num_queries):
    from django.template import engines

    from tests.factories import MemberFactory

    camille = MemberFactory(betagouv_id="camille.laurent")
    MemberFactory(betagouv_id="parti.e", is_active=False)
    template = engines["django"].from_string("{% load ruche %}{{ text|markdown }}")

    with django_assert_num_queries(1):
        html = template.render(
            {"text": "Merci @camille.laurent, @parti.e et @camille.laurent <b>@x</b>"}
        )

    assert html.count(f'href="{camille.get_absolute_url()}"') == 2
    assert "@parti.e et" in html
