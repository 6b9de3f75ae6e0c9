"""Reading pages in tests: a fragment by id, compared with what htmx swapped in."""

import re
from html.parser import HTMLParser

_VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class _Fragment(HTMLParser):
    def __init__(self, element_id):
        super().__init__(convert_charrefs=False)
        self.element_id = element_id
        self.depth = 0
        self.parts = []
        self.done = False

    def _raw(self):
        return self.get_starttag_text()

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        if self.depth == 0 and dict(attrs).get("id") == self.element_id:
            self.depth = 1
            self.parts.append(self._raw())
            if tag in _VOID:
                self.done = True
            return
        if self.depth:
            self.parts.append(self._raw())
            if tag not in _VOID:
                self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth and not self.done:
            self.parts.append(self._raw())

    def handle_endtag(self, tag):
        if self.depth and not self.done:
            self.parts.append(f"</{tag}>")
            self.depth -= 1
            if self.depth == 0:
                self.done = True

    def handle_data(self, data):
        if self.depth and not self.done:
            self.parts.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def fragment(html: str, element_id: str) -> str:
    """The outer HTML of the element with this id ("" if absent)."""
    parser = _Fragment(element_id)
    parser.feed(html)
    return "".join(parser.parts)


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def normalised(html: str) -> str:
    """Without what differs between two renders of the same thing: CSRF masks, whitespace."""
    html = _CSRF.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
