"""CDXJ indexes for replay tools (pywb and friends): one per closed WARC, plus a merged one.

Each ``<name>.warc.gz`` gets ``<name>.warc.gz.cdxj`` beside it, written by the cdxj-indexer
library (default fields and record types: response, revisit, resource, metadata). The directory's
``index.cdxj`` is a sorted merge of those. Both are written to a temporary file and renamed into
place, so a reader never sees a half-written index and re-running is always safe.
"""

from __future__ import annotations

import heapq
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer

from archive.errors import BadWarc
from archive.recovery import OPEN_SUFFIX

log = logging.getLogger(__name__)

INDEX_SUFFIX = ".cdxj"
MERGED_NAME = "index.cdxj"


def index_path(warc_path: Path) -> Path:
    """Where `index_warc` puts the index of *warc_path*."""
    warc_path = Path(warc_path)
    return warc_path.with_name(warc_path.name + INDEX_SUFFIX)


def _temp_beside(target: Path) -> tuple[int, str]:
    """A temp file in the target's directory (so the final rename is atomic), mode 0644."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.fchmod(fd, 0o644)
    return fd, tmp


def index_warc(path: Path) -> Path:
    """Write the sorted CDXJ index of one closed WARC beside it; return the index path."""
    path = Path(path)
    if path.name.endswith(OPEN_SUFFIX):
        raise BadWarc(path, None, "cannot index a WARC that is still open")
    target = index_path(path)
    fd, tmp = _temp_beside(target)
    os.close(fd)
    try:
        # sort=True buffers and sorts lines (spilling to temp files past 32 MiB), so the merge
        # below can stream.
        CDXJIndexer(output=tmp, inputs=[str(path)], sort=True).process_all()
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.debug("indexed %s -> %s", path.name, target.name)
    return target


def _lines(fh: Iterator[str]) -> Iterator[str]:
    for line in fh:
        if line.strip():
            yield line if line.endswith("\n") else line + "\n"


def merge_index(directory: Path) -> Path:
    """Write ``index.cdxj`` for *directory*: every closed WARC's index, merged and sorted.

    Closed WARCs without an index, or with one older than the WARC, are indexed first. Identical
    lines (the same WARC indexed twice) are written once.
    """
    directory = Path(directory)
    warcs = sorted(directory.glob("*.warc.gz"))
    indexes = []
    for warc in warcs:
        idx = index_path(warc)
        if not idx.exists() or idx.stat().st_mtime < warc.stat().st_mtime:
            index_warc(warc)
        indexes.append(idx)
    target = directory / MERGED_NAME
    fd, tmp = _temp_beside(target)
    try:
        with ExitStack() as stack:
            out = stack.enter_context(os.fdopen(fd, "w", encoding="utf-8"))
            sources = [
                _lines(stack.enter_context(idx.open("r", encoding="utf-8"))) for idx in indexes
            ]
            previous = None
            for line in heapq.merge(*sources):
                if line != previous:
                    out.write(line)
                previous = line
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    log.info("merged %d indexes into %s", len(indexes), target)
    return target
