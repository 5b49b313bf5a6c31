"""Charts kept between builds, so a warm build draws only what changed.

A chart's Bokeh JSON is kept in a folder (build/chart-cache) through the verified store
(`generator/speed/store.py`), under a key hashed from its input, its kind, the Bokeh version and the
generator's code (`chart_key`); a damaged entry is drawn again, never published. A second map
(`by-source.json`) leads from the files a chart's records were read from to that key
(`source_key`) and its data file's path, so a chart whose files are unchanged is reused without
building its input. The prototypes that timelines and the cross-case charts are filled into
(generator/charts/bokeh_json.py) are kept the same way, one per shape.

`ChartCache(None)` keeps nothing and finds nothing; generator/charts/draw.py also takes no cache at
all, and the charts come out byte for byte the same either way (tests/test_charts.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.charts.bokeh_json import BOKEH_VERSION
from generator.speed import store
from generator.speed.sources import in_memory, version_key

if TYPE_CHECKING:
    from generator.charts.plan import Spec
    from generator.stages.index import Index

SOURCES_FILE = "by-source.json"
_KEY = re.compile(r"[0-9a-f]{32}")
_PATH = re.compile(r"assets/charts/[0-9a-f]{20}\.js")  # a data file's path, as draw.chart_path names it
# Under `handbook serve`: what a page embeds for each chart and its data file, by (chart name, source
# key, accessible name), kept in memory between preview builds: a chart whose files are unchanged is
# neither read from the store nor given its static picture again (about a second at N = 1,000).
_EMBEDDED: dict[tuple[str, str, str], tuple[str, bytes, str]] = {}


def chart_key(kind: str, data: Any) -> str:
    """Changes with the chart's input, the Bokeh version and the generator's code (sources.version_key)."""
    payload = json.dumps([BOKEH_VERSION, version_key(), kind, data], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def source_key(index: Index, name: str, spec: Spec) -> str | None:
    """Changes when a file the chart's records come from, or the generator's code, changes; None when
    a record was not read from a file (then only the input itself can key the chart)."""
    digests = []
    for kind, rid in spec.sources:
        digest = index.records[kind][rid].doc.digest
        if not digest:
            return None
        digests.append(f"{kind}/{rid}/{digest}")
    payload = json.dumps([version_key(), BOKEH_VERSION, name, spec.kind, digests])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


class ChartCache:
    """The chart cache of one build, in `folder` (None: keep nothing). Ask `unchanged` first, then
    `drawn` for a chart whose input was built, `keep` what was drawn, and `save` at the end."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.known = self._read_sources()  # {source key: [chart key, data file path]} from the last build
        self.used: dict[str, list[str]] = {}  # the same, for this build's charts
        self._source: dict[str, str] = {}  # chart name -> its source key, for charts not reused
        self._key: dict[str, str] = {}  # chart name -> its chart key, once its input was built
        self._skey: dict[str, str] = {}  # chart name -> its source key (`embedded` under serve)

    def embedded(self, name: str, spec: Spec, index: Index) -> tuple[str, bytes, str] | None:
        """Under serve: (data file path, its script, the page's snippet) as the last build in this
        process made them for this chart, when its files are unchanged since; otherwise None."""
        if not in_memory() or self.folder is None:
            return None
        skey = source_key(index, name, spec)
        if skey is None:
            return None
        self._skey[name] = skey
        kept = _EMBEDDED.get((name, skey, spec.alt))
        if kept is None or skey not in self.known:
            return None
        self.used[skey] = self.known[skey]  # kept for the next build, as `unchanged` does
        return kept

    def keep_embedded(self, name: str, spec: Spec, made: tuple[str, bytes, str]) -> None:
        """Under serve: keep what `embedded` will give for this chart while its files are unchanged."""
        if name in self._skey:
            _EMBEDDED[(name, self._skey[name], spec.alt)] = made

    def unchanged(self, index: Index, name: str, spec: Spec) -> tuple[str, str] | None:
        """(the chart's Bokeh JSON, its data file's path) when the files its records come from are
        unchanged, else None."""
        skey = source_key(index, name, spec) if self.folder is not None else None
        if skey is None:
            return None
        entry = self.known.get(skey)
        item = self._read(entry[0]) if entry else None
        if item is None or entry is None:
            self._source[name] = skey
            return None
        self.used[skey] = entry
        return item, entry[1]

    def drawn(self, name: str, kind: str, data: Any, path: str) -> str | None:
        """The chart's Bokeh JSON kept for this very input, else None (`path`: its data file's,
        draw.chart_path)."""
        if self.folder is None:
            return None
        key = self._key[name] = chart_key(kind, data)
        if name in self._source:
            self.used[self._source[name]] = [key, path]
        return self._read(key)

    def keep(self, name: str, item: str) -> None:
        """Keep a chart just drawn (after `drawn` gave None for it)."""
        if self.folder is not None:
            store.write_text(self.folder / f"{self._key[name]}.json", item)

    def prototype(self, kind: str, shape: list[int]) -> dict[str, Any] | None:
        """The prototype kept for charts of this kind and shape, else None."""
        found = (
            None
            if self.folder is None
            else store.read_json(self.folder / f"{chart_key(kind + '-prototype', shape)}.json")
        )
        return found if isinstance(found, dict) else None

    def keep_prototype(self, kind: str, shape: list[int], item: str) -> None:
        if self.folder is not None:
            store.write_text(self.folder / f"{chart_key(kind + '-prototype', shape)}.json", item)

    def save(self) -> None:
        """Write the map from source keys to charts, when it changed."""
        if self.folder is not None and self.used != self.known:
            store.write_json(self.folder / SOURCES_FILE, self.used)

    def _read_sources(self) -> dict[str, list[str]]:
        """{source key: [chart key, data file path]} from the last build; empty when missing, damaged
        or of an older shape."""
        known = None if self.folder is None else store.read_json(self.folder / SOURCES_FILE)
        sound = isinstance(known, dict) and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) and _PATH.fullmatch(v[1])
            for v in known.values()
        )
        return known if sound else {}  # type: ignore[return-value]  # checked just above

    def _read(self, key: str | None) -> str | None:
        """A chart's Bokeh JSON from the verified store; None when it is not there or damaged."""
        if self.folder is None or key is None or not _KEY.fullmatch(key):
            return None
        return store.read_text(self.folder / f"{key}.json")
