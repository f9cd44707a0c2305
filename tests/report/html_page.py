"""A page of the report as a tree of elements, read with the standard library's HTML parser (what a browser
sees: entities decoded in text and attributes), for tests that read what the page shows."""
from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: "Element | None" = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    def elements(self):
        """Every element below this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def find_all(self, tag: str | None = None, **attrs: str) -> list["Element"]:
        return [e for e in self.elements() if (tag is None or e.tag == tag)
                and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def by_id(self, element_id: str) -> "Element":
        found = self.find_all(id=element_id)
        assert len(found) == 1, f"{len(found)} elements with id {element_id!r}"
        return found[0]

    def text(self) -> str:
        """The text shown, white space collapsed."""
        parts = []

        def walk(node: Element) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)
        walk(self)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def cells(self) -> list[str]:
        """The texts of a table row's cells."""
        return [c.text() for c in self.children if isinstance(c, Element) and c.tag in ("td", "th")]

    def rows(self) -> list["Element"]:
        """A table's rows after its header row."""
        rows = self.find_all("tr")
        assert rows and all(isinstance(c, Element) and c.tag == "th" for c in rows[0].children if isinstance(c, Element))
        return rows[1:]


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})
        self.start_tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.start_tags.append((tag, element.attrs))
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.start_tags.append((tag, element.attrs))
        self.current.children.append(element)

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # an end tag with no open element is ignored
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> tuple[Element, list[tuple[str, dict]]]:
    """The page's tree, and every start tag with its attributes in document order."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root, builder.start_tags
