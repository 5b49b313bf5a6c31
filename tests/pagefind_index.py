"""Reads what Pagefind indexed (site/pagefind/fragment/*.pf_fragment: gzipped JSON after a
signature), split into sections at the page's headings the way Material's search_index.json was:
one entry per page (its text before the first section) and one per section, with its location."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

SIGNATURE = b"pagefind_dcd"
HEADINGS = {"h2", "h3", "h4", "h5", "h6"}


def fragments(site: Path) -> list[dict]:
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        assert raw.startswith(SIGNATURE), path
        out.append(json.loads(raw[len(SIGNATURE) :]))
    return out


def search_docs(site: Path) -> list[dict[str, str]]:
    """[{location, title, text}] like Material's search index: "cases/highlands/" for the page,
    "cases/highlands/#timeline" for a section."""
    docs = []
    for frag in fragments(site):
        words = frag["content"].split()
        page = frag["url"].lstrip("/")
        cuts = sorted((a["location"], a) for a in frag.get("anchors", []) if a["element"] in HEADINGS)
        first = cuts[0][0] if cuts else len(words)
        docs.append({"location": page, "title": frag["meta"].get("title", ""), "text": " ".join(words[:first])})
        for i, (at, anchor) in enumerate(cuts):
            end = cuts[i + 1][0] if i + 1 < len(cuts) else len(words)
            docs.append({"location": f"{page}#{anchor['id']}", "title": anchor["text"], "text": " ".join(words[at:end])})
    return docs
