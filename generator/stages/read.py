"""Source files -> validated records, every file read, parsed and validated (load, then validate).

This is the stage without any cache: `generator/speed/sources.py` stands in front of it and gives
the same records for files whose bytes did not change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from generator.errors import Collector
from generator.records.kinds import Kind
from generator.stages.load import RawDocument, parse_source, read_source, source_files
from generator.stages.validate import Loaded, validate_document


def read_record(rel: str, raw: bytes, kind: Kind, problems: Collector) -> Any | None:
    """One file's bytes as a validated record; None when the file has problems (in `problems`)."""
    doc = parse_source(rel, raw, kind, problems)
    loaded = None if doc is None else validate_document(doc, problems)
    return None if loaded is None else loaded.record


def load_records(root: Path, problems: Collector) -> list[Loaded]:
    """Every source file as a validated record, in file order; files with problems are left out.
    Records keep no raw data: key lines are read again from the file if a later stage reports on it."""
    out = []
    for path, kind in source_files(root):
        rel = path.relative_to(root).as_posix()
        raw = read_source(root, path, rel, problems)
        record = None if raw is None else read_record(rel, raw, kind, problems)
        if raw is not None and record is not None:
            digest = hashlib.sha256(raw).hexdigest()
            out.append(Loaded(RawDocument(rel, kind, None, source=path, digest=digest), record))
    return out
