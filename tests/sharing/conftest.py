from html.parser import HTMLParser

import pytest


class Head(HTMLParser):
    """The <meta> and <link> tags of a page, as a browser's parser reads them."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and "content" in attributes:
            name = attributes.get("property") or attributes.get("name")
            if name:
                self.meta.setdefault(name, []).append(attributes["content"])
        elif tag == "link":
            self.links.append(attributes)


def read_head(html: str) -> Head:
    head = Head()
    head.feed(html)
    head.close()
    return head


@pytest.fixture
def head():
    return read_head
