"""A built page's HTML → a tree of elements, for the tests that check a page's structure without a
browser (what a reader gets with scripts off: the elements, their text, their links).

Standard library only (html.parser). Void elements close themselves; an end tag closes up to the
element it names, as a browser does for the well-formed pages MkDocs writes. `find(...)` matches a
tag and/or a class, like the CSS selectors the browser tests use (`a.gb-lang__link`).
"""
from __future__ import annotations

import html.parser
from collections.abc import Iterator
from dataclasses import dataclass, field

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """The text of the element and everything inside it, as written (entities decoded)."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def descendants(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()

    def find(self, tag: str | None = None, cls: str | None = None) -> list[Element]:
        """Every element inside this one with that tag and/or class, in document order."""
        return [e for e in self.descendants() if (tag is None or e.tag == tag) and (cls is None or cls in e.classes)]

    def within(self, tag: str | None = None, cls: str | None = None) -> bool:
        """Whether this element or one around it has that tag and/or class."""
        node: Element | None = self
        while node is not None:
            if (tag is None or node.tag == tag) and (cls is None or cls in node.classes):
                return True
            node = node.parent
        return False

    def hidden(self) -> bool:
        """Whether this element or one around it carries the `hidden` attribute."""
        node: Element | None = self
        while node is not None:
            if "hidden" in node.attrs:
                return True
            node = node.parent
        return False


class _Builder(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open: list[Element] = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, self.open[-1]))

    def handle_endtag(self, tag):
        for at in range(len(self.open) - 1, 0, -1):
            if self.open[at].tag == tag:
                del self.open[at:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(text: str) -> Element:
    """The document's tree; its root holds the <html> element."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root
