"""CDXJ indexes for replay tools (pywb and friends): one per closed WARC, plus a merged one.

Each ``<name>.warc.gz`` gets ``<name>.warc.gz.cdxj`` beside it, exactly as the cdxj-indexer
library writes it (default fields and record types: response, revisit, resource, metadata). When
ingest has just listed a verified file, the lines are built from that listing instead of reading
the file again (cdxj-indexer took 0.135 s of CPU per 9 MB file); a record the listing cannot
index exactly as cdxj-indexer would (an HTTP record without payload digest, headers warcio could
read differently) sends the whole file to cdxj-indexer. The directory's ``index.cdxj`` is a
sorted merge of those. Both are written to a temporary file and renamed into place, so a reader
never sees a half-written index and re-running is always safe.
"""

from __future__ import annotations

import heapq
import json
import logging
import os
import tempfile
from collections.abc import Collection, Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path

import surt
from cdxj_indexer.main import CDXJIndexer
from warcio.timeutils import iso_date_to_timestamp

from archive.errors import BadWarc
from archive.warc.reader import WarcEntry
from archive.warc.records import OPEN_SUFFIX

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


def _url_key(url: str) -> str:
    """SURT form of *url*, or the URL itself when surt fails (as cdxj-indexer does)."""
    try:
        return surt.surt(url)
    except Exception:
        return url


def _mime(entry: WarcEntry) -> str | None:
    facts = entry.index_facts
    record_type = entry.row.record_type
    if record_type == "revisit":
        return "warc/revisit"
    value = facts.http_content_type if record_type == "response" else facts.warc_content_type
    return CDXJIndexer.RE_SPACE.split(value, 1)[0].strip() if value else value


def _is_indexed(entry: WarcEntry) -> bool:
    """cdxj-indexer's default record filter: four types, never application/warc-fields."""
    record_type = entry.row.record_type
    if record_type not in CDXJIndexer.DEFAULT_RECORDS:
        return False
    return not (
        record_type in ("resource", "metadata")
        and entry.index_facts.warc_content_type == "application/warc-fields"
    )


def cdxj_lines(entries: Iterable[WarcEntry], filename: str) -> list[str] | None:
    """The lines cdxj-indexer writes for these records, sorted, duplicates dropped.

    *entries* must come from `list_verified_entries`: in a verified file each record is one gzip
    member, so its offset and length are what warcio reports. None if any record needs
    cdxj-indexer itself (an HTTP record without payload digest, headers warcio may read
    differently).
    """
    keys: dict[str, str] = {}
    lines = []
    for entry in entries:
        row, facts = entry.row, entry.index_facts
        if not facts.exact:
            return None
        if not _is_indexed(entry):
            continue
        if not facts.payload_digest:
            return None  # cdxj-indexer would compute one from an HTTP payload
        try:
            timestamp = iso_date_to_timestamp(facts.warc_date)
        except (ValueError, TypeError):
            return None  # cdxj-indexer fails on this date too; let it say how
        fields = {
            "url": row.url,
            "mime": _mime(entry),
            "status": facts.http_status if row.record_type in ("response", "revisit") else None,
            "digest": facts.payload_digest,
            "length": str(row.warc_length),
            "offset": str(row.warc_offset),
            "filename": filename,
        }
        index = {name: value for name, value in fields.items() if value is not None}
        if row.url not in keys:
            keys[row.url] = _url_key(row.url)
        lines.append(f"{keys[row.url]} {timestamp} {json.dumps(index)}\n")
    lines.sort()
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


def index_warc(path: Path, entries: Iterable[WarcEntry] | None = None) -> Path:
    """Write the sorted CDXJ index of one closed WARC beside it; return the index path.

    *entries*, the file's records from `list_verified_entries`, spare reading it again.
    """
    path = Path(path)
    if path.name.endswith(OPEN_SUFFIX):
        raise BadWarc(path, None, "cannot index a WARC that is still open")
    target = index_path(path)
    lines = cdxj_lines(entries, path.name) if entries is not None else None
    fd, tmp = _temp_beside(target)
    try:
        if lines is None:
            os.close(fd)
            # sort=True buffers and sorts lines (spilling to temp files past 32 MiB), so the
            # merge below can stream.
            try:
                CDXJIndexer(output=tmp, inputs=[str(path)], sort=True).process_all()
            except (ValueError, TypeError, AttributeError) as exc:  # a record it cannot read
                # (a WARC-Date that is no date): the file's own fault, so BadWarc names it
                raise BadWarc(path, None, f"cdxj-indexer cannot index it: {exc!r}") from exc
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.writelines(lines)
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


def merge_index(directory: Path, damaged: Collection[str] = ()) -> Path:
    """Write ``index.cdxj`` for *directory*: every closed WARC's index, merged and sorted.

    Closed WARCs without an index, or with one older than the WARC, are indexed first. Identical
    lines (the same WARC indexed twice) are written once. Files named in *damaged* (quarantined)
    are never indexed: an index they already have, made while they were intact, is merged as it
    is, and one without is left out.
    """
    directory = Path(directory)
    warcs = sorted(directory.glob("*.warc.gz"))
    indexes = []
    for warc in warcs:
        idx = index_path(warc)
        if warc.name in damaged:
            if idx.exists():
                indexes.append(idx)
            continue
        if not idx.exists() or idx.stat().st_mtime < warc.stat().st_mtime:
            try:
                index_warc(warc)
            except BadWarc as exc:  # its records are catalogued; replay just cannot find them
                log.error("%s; left out of %s", exc, MERGED_NAME)
                continue
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
