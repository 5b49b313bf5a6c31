"""Finds what must never reach a page: script-capable elements, event handlers, unsafe URLs."""

from __future__ import annotations

from html.parser import HTMLParser

BAD_TAGS = {"script", "iframe", "style", "object", "embed", "img", "form", "base", "meta", "link"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href"}


class _Scanner(HTMLParser):
    def __init__(self, allowed_scripts: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allowed_scripts = allowed_scripts
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in BAD_TAGS and not self._allowed(tag, values):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in URL_ATTRS and value and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                self.found.append(f"{name}={value[:30]} on <{tag}>")

    def _allowed(self, tag: str, attrs: dict[str, str | None]) -> bool:
        return any(
            marker in str(attrs.get("src") or attrs.get("href") or attrs.get("id") or attrs.get("name") or "")
            for marker in self.allowed_scripts
        )


def dangerous(html: str, allowed: set[str] | None = None) -> list[str]:
    """Everything dangerous in `html`. `allowed` holds substrings of the site's own script/link
    addresses (or ids), which a whole page legitimately has."""
    scanner = _Scanner(allowed or set())
    scanner.feed(html)
    return scanner.found
