"""The offline edition: the whole handbook as one zip that works opened from disk (file://), with
no web server and no network: navigation, search, charts and the toolkit.

It is built from the same generated Markdown as the site, with mkdocs-offline.yml (which inherits
mkdocs.yml and adds Material's offline plugin: links end in .html, the search index loads as a
script, and a vendored iframe-worker shim runs the search worker under file://). The site is
built into a temporary folder, strictly, then packed into `dist/handbook-offline.zip`; when a
built site/ exists the zip is also copied to site/assets/handbook-offline.zip, where the About
page offers it for download. `handbook build` then `handbook offline` publishes both.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

from generator.config import Config
from generator.errors import BuildError
from generator.output import publish
from generator.pipeline import generate

log = logging.getLogger(__name__)

OFFLINE_CONFIG = "mkdocs-offline.yml"
ZIP_NAME = "handbook-offline.zip"
FOLDER = "handbook-offline"  # the one folder the zip unpacks to
README = """Local Social Innovation Evidence Handbook: offline edition

Open index.html in this folder with any web browser. Every page, the search, the charts and the
toolkit work from these files, with no web server and no network connection.
"""
# Zip entries carry this time unless SOURCE_DATE_EPOCH says otherwise: two builds of the same
# sources give the same bytes.
_EPOCH = (2008, 1, 1, 0, 0, 0)


def build_offline(config: Config, out: Path | None = None) -> Path:
    """Generate the pages, build the offline edition and write its zip; returns the zip's path."""
    mkdocs_file = config.root / OFFLINE_CONFIG
    if not mkdocs_file.is_file():
        raise BuildError(f"{mkdocs_file}: the offline edition's MkDocs configuration is missing.")
    generate(config)
    out = out or config.root / "dist" / ZIP_NAME
    out.parent.mkdir(parents=True, exist_ok=True)
    work = config.root / "build"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".offline-", dir=work) as tmp:
        site = Path(tmp) / "site"
        publish.build_site(mkdocs_file, site)
        (site / "README.txt").write_text(README, encoding="utf-8")
        write_zip(site, out)
    log.info("offline edition: %s (%d KiB)", out, out.stat().st_size // 1024)
    if config.site_dir.is_dir() and out.resolve() != (config.site_dir / "assets" / ZIP_NAME).resolve():
        target = config.site_dir / "assets" / ZIP_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(out, target)
    return out


def write_zip(folder: Path, out: Path) -> None:
    """Pack `folder` under FOLDER/ in a deterministic zip (sorted, fixed times), atomically."""
    stamp = _zip_time()
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.name == ZIP_NAME:  # never an older edition inside the new one
                continue
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(folder).as_posix()}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    os.replace(tmp, out)


def _zip_time() -> tuple[int, int, int, int, int, int]:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        import time

        t = time.gmtime(max(int(epoch), 315532800))  # zip times start in 1980
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
    return _EPOCH
