"""Which site and crawl run an imported WARC's captures belong to, kept in WARC beside it.

A foreign WARC has no newsarc warcinfo (no profile, no run id, no story patterns), and its bytes
are kept as they came. So `newsarc import` writes a small companion file,
`import-<sha256 prefix>.meta.warc.gz`: a warcinfo record, then one `metadata` record
(WARC-Target-URI `urn:newsarc:import:<imported file name>`, `application/warc-fields`) naming the
imported file, the original's name and sha256, the site profile, its story patterns and
extraction rules, and the run id. Ingest and reindex read these records from the WARC directory,
so the assignment is part of the archive: rebuilding the catalog from the WARCs gives it back.

A look is one crawl run; a foreign crawl is one import source (a WARC file, or a whole WACZ),
split again where a file holds several warcinfo records (several crawls in one file), so the
English and Chinese pages of a story captured together are compared together.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from archive.warc.reader import WarcEntry, parse_warc_fields
from archive.warc.records import (
    WARCINFO_EXTRACT_RULES,
    WARCINFO_PAGE_PATTERNS,
    WARCINFO_PROFILE,
    WARCINFO_RUN_ID,
)

log = logging.getLogger(__name__)

IMPORT_PREFIX = "import-"
META_SUFFIX = ".meta.warc.gz"
IMPORT_URN_PREFIX = "urn:newsarc:import:"
IMPORTED_FILE = "newsarc-imported-file"
IMPORT_SOURCE = "newsarc-import-source"
IMPORT_SHA256 = "newsarc-import-sha256"


@dataclass(frozen=True, slots=True)
class ImportAssignment:
    """One imported WARC file's site, story patterns, extraction rules and run id.

    ``fields`` hold the profile (`isPartOf`), patterns and rules under the warcinfo names a
    newsarc crawl uses, so a reader takes them exactly as it takes a crawl's own warcinfo."""

    warc_file: str  # the imported copy's name in the WARC directory
    source: str  # what was imported (a file name, or `package.wacz!archive/x.warc.gz`)
    sha256: str  # of the source WARC's bytes as they came
    run_id: str
    fields: dict[str, str]

    @property
    def profile(self) -> str | None:
        return self.fields.get(WARCINFO_PROFILE)

    def assign(self, entries: Iterable[WarcEntry]) -> Iterator[WarcEntry]:
        """The entries with this import's profile and run id.

        Captures a file's own newsarc warcinfo gave a run id (a newsarc WARC imported from
        elsewhere) keep it; every other capture belongs to this import's run, a new run from each
        further warcinfo record on. An assigned profile replaces the file's own `isPartOf`."""
        warcinfos = 0
        for entry in entries:
            row = entry.row
            if row.record_type == "warcinfo":
                warcinfos += 1
            run_id = row.run_id or (self.run_id if warcinfos <= 1 else f"{self.run_id}-{warcinfos}")
            profile = self.profile or row.profile
            if run_id != row.run_id or profile != row.profile:
                entry = replace(entry, row=replace(row, run_id=run_id, profile=profile))
            yield entry


def meta_name(sha256: str) -> str:
    """The companion file of the import whose source WARC has this sha256."""
    return f"{IMPORT_PREFIX}{sha256[:16]}{META_SUFFIX}"


class _RecordBuilder(WARCWriter):
    # As archive.warc.writer's: WARC-Block-Digest covers these records, no payload digest.
    NO_PAYLOAD_DIGEST_TYPES = ("warcinfo", "revisit", "resource", "metadata")


def write_assignment(directory: Path, assignment: ImportAssignment, software: str) -> Path:
    """Write the companion WARC of *assignment* into *directory*, atomically; returns it."""
    target = Path(directory) / meta_name(assignment.sha256)
    body = {
        IMPORTED_FILE: assignment.warc_file,
        IMPORT_SOURCE: assignment.source,
        IMPORT_SHA256: assignment.sha256,
        WARCINFO_RUN_ID: assignment.run_id,
        **assignment.fields,
    }
    buffer = io.BytesIO()
    builder = _RecordBuilder(buffer, gzip=True, warc_version="WARC/1.1")
    now = datetime_to_iso_date(datetime.now(UTC).replace(tzinfo=None), use_micros=True)
    info = {
        "software": software,
        "format": "WARC File Format 1.1",
        "description": f"newsarc import of {assignment.source} as {assignment.warc_file}",
    }
    builder.write_record(builder.create_warcinfo_record(target.name, info))
    payload = "".join(f"{k}: {v}\r\n" for k, v in body.items()).encode("utf-8")
    builder.write_record(
        builder.create_warc_record(
            IMPORT_URN_PREFIX + assignment.warc_file,
            "metadata",
            payload=io.BytesIO(payload),
            length=len(payload),
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": now},
        )
    )
    partial = target.with_name(f".{target.name}.partial")
    with partial.open("wb") as out:
        out.write(buffer.getvalue())
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, target)
    return target


def read_assignment(path: Path) -> ImportAssignment | None:
    """The assignment a companion file holds; None (logged) if it cannot be read."""
    try:
        with Path(path).open("rb") as fh:
            for record in ArchiveIterator(fh):
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type == "metadata" and uri.startswith(IMPORT_URN_PREFIX):
                    fields = parse_warc_fields(record.content_stream().read())
                    return ImportAssignment(
                        warc_file=fields.pop(IMPORTED_FILE),
                        source=fields.pop(IMPORT_SOURCE, ""),
                        sha256=fields.pop(IMPORT_SHA256, ""),
                        run_id=fields.pop(WARCINFO_RUN_ID),
                        fields={
                            k: v
                            for k, v in fields.items()
                            if k
                            in (WARCINFO_PROFILE, WARCINFO_PAGE_PATTERNS, WARCINFO_EXTRACT_RULES)
                        },
                    )
    except (ArchiveLoadFailed, OSError, ValueError, EOFError, KeyError) as exc:
        log.error("%s: unreadable import record (%r); its file is taken as it is", path, exc)
        return None
    log.error("%s: holds no import record; its file is taken as it is", path)
    return None


def read_assignments(directory: Path) -> dict[str, ImportAssignment]:
    """Imported file name -> its assignment, for every companion file in *directory*."""
    found = {}
    for path in sorted(Path(directory).glob(f"{IMPORT_PREFIX}*{META_SUFFIX}")):
        assignment = read_assignment(path)
        if assignment is not None:
            found[assignment.warc_file] = assignment
    return found
