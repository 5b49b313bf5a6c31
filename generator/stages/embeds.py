"""Finds resources a text would make a browser load from another host: Markdown images (inline and
reference-style), HTML elements that load what they name (img, srcset, iframe, script, video,
audio, source, track, poster, object data, embed, link href) and CSS url() or @import. Links to
other sites are not resources and are not reported.

The site promises to load nothing from elsewhere (privacy, council firewalls, the offline edition),
so `handbook check` refuses these in every text field (validate.check_record).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REMOTE = re.compile(r"^\s*<?\s*(?:[a-z][a-z0-9+.\-]*:)?//", re.I)  # https://host/..., //host/...


@dataclass(frozen=True)
class Embed:
    what: str  # e.g. "an image"
    url: str


_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)")
_MD_IMAGE_REF = re.compile(r"!\[([^\]]*)\](?:\s?\[([^\]]*)\])?")
_REF_DEF = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_TAG = re.compile(r"<\s*([a-z][a-z0-9:\-]*)((?:\s[^>]*)?)>?", re.I)
_ATTR = re.compile(r"""(?<![\w:\-])([a-z][a-z0-9:\-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""", re.I)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^)'"]*)""", re.I)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]*)""", re.I)

_LOADING_ATTRS = {"src", "srcset", "poster", "data", "background", "codebase", "lowsrc", "dynsrc"}
_HREF_LOADERS = {"link", "image", "use", "feimage"}  # elements whose href is loaded, not followed
_WHAT = {
    "img": "an image",
    "image": "an image",
    "picture": "an image",
    "input": "an image",
    "iframe": "a frame",
    "frame": "a frame",
    "script": "a script",
    "video": "a video",
    "audio": "a sound",
    "source": "media",
    "track": "a subtitle track",
    "object": "an embedded object",
    "embed": "an embedded object",
    "applet": "an embedded object",
    "link": "a stylesheet or other linked resource",
}


def remote_embeds(text: str) -> list[Embed]:
    """Every resource in `text` that a browser would load from another host, each once."""
    if "//" not in text:  # every remote address has it (REMOTE): most texts need no closer look
        return []
    found = [Embed("an image", m.group(2)) for m in _MD_IMAGE.finditer(text) if REMOTE.match(m.group(2))]
    found += _reference_images(text)
    for tag in _TAG.finditer(text):
        found += _tag_embeds(tag.group(1).lower(), tag.group(2) or "")
    for pattern in (_CSS_URL, _CSS_IMPORT):
        found += [Embed("a CSS resource", m.group(2)) for m in pattern.finditer(text) if REMOTE.match(m.group(2))]
    return list(dict.fromkeys(found))


def _reference_images(text: str) -> list[Embed]:
    """![alt][label], ![label][] and ![label] whose label is defined as a remote address."""
    remote = {_label(m.group(1)): m.group(2) for m in _REF_DEF.finditer(text) if REMOTE.match(m.group(2))}
    found = []
    for m in _MD_IMAGE_REF.finditer(text):
        url = remote.get(_label(m.group(2) or m.group(1)))
        if url is not None and not text[m.end() : m.end() + 1] == "(":
            found.append(Embed("an image", url))
    return found


def _label(text: str) -> str:
    return " ".join(text.lower().split())


def _tag_embeds(name: str, attrs: str) -> list[Embed]:
    found = []
    for m in _ATTR.finditer(attrs):
        attr, value = m.group(1).lower(), m.group(2).strip("\"'")
        if attr == "style":
            found += [Embed("a CSS resource", u.group(2)) for u in _CSS_URL.finditer(value) if REMOTE.match(u.group(2))]
        elif attr == "srcset":
            urls = [candidate.split()[0] for candidate in value.split(",") if candidate.split()]
            found += [Embed(_WHAT.get(name, "an image"), u) for u in urls if REMOTE.match(u)]
        elif attr in _LOADING_ATTRS or (attr in ("href", "xlink:href") and name in _HREF_LOADERS):
            if REMOTE.match(value):
                what = "a video poster image" if attr == "poster" else _WHAT.get(name, "a resource")
                found.append(Embed(what, value))
    return found


def message(embed: Embed) -> str:
    """The problem, as `handbook check` reports it."""
    return (
        f"loads {embed.what} from another host ({embed.url[:80]}). The handbook loads nothing from other "
        f"sites: remove it, or link to it instead, e.g. [describe it]({embed.url[:80]})."
    )
