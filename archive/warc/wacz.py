"""Writing a WACZ 1.1.1 package: a zip of WARCs, CDXJ, pages and a hashed datapackage.json.

The zip mechanics only: which records and pages go in is the caller's business. Every member is
streamed into the zip and hashed as it passes (sha256, as `wacz validate` and ReplayWeb.page
check it), so memory stays flat however large the WARCs are. WARCs and indexes are STORED, never
deflated, so a player can read a record by its offset with one HTTP range request.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from cdxj_indexer.main import CDXJIndexer

WACZ_VERSION = "1.1.1"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}
_COPY_CHUNK = 1 << 20
_CDXJ_OFFSET = re.compile(r'"offset": "(\d+)"')


@dataclass(frozen=True)
class PackedFile:
    """One member of the package as datapackage.json lists it."""

    path: str
    sha256: str
    size: int

    def resource(self) -> dict[str, Any]:
        return {
            "name": Path(self.path).name,
            "path": self.path,
            "hash": f"sha256:{self.sha256}",
            "bytes": self.size,
        }


@dataclass(frozen=True)
class RecordSpan:
    """A record's gzip member in a source WARC: copied byte for byte into an exported one."""

    offset: int
    length: int


class _HashingWriter:
    """A write-only stream that hashes and counts what passes into the zip member."""

    def __init__(self, member: IO[bytes]) -> None:
        self.member = member
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.member.write(data)


class WaczWriter:
    """Builds one .wacz: add WARCs, the CDXJ and pages, then `close` writes the datapackage.

    The zip is written to `<out>.partial` and renamed into place by `close`, so a failed export
    never leaves something that looks like a finished WACZ.
    """

    def __init__(self, out: Path, *, software: str, title: str | None = None) -> None:
        self.out = Path(out)
        self.partial = self.out.with_name(self.out.name + ".partial")
        self.software = software
        self.title = title
        self.files: list[PackedFile] = []
        self.main_page: tuple[str, str] | None = None
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._zip = zipfile.ZipFile(self.partial, "w", allowZip64=True)

    def __enter__(self) -> WaczWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self._zip.close()
            self.partial.unlink(missing_ok=True)

    def _member(self, path: str, *, stored: bool, size: int) -> tuple[IO[bytes], _HashingWriter]:
        """An open zip member of known *size*: zip64 only when needed, because ReplayWeb.page
        finds a member's bytes by the central directory's extra field length, which zipfile
        leaves short when it is forced to zip64 a small member."""
        info = zipfile.ZipInfo(path, date_time=datetime.now(UTC).timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        info.file_size = size
        member = self._zip.open(info, "w")
        return member, _HashingWriter(member)

    def _finish(self, path: str, member: IO[bytes], hashing: _HashingWriter) -> PackedFile:
        member.close()
        packed = PackedFile(path, hashing.sha256.hexdigest(), hashing.size)
        self.files.append(packed)
        return packed

    def add_warc(self, source: Path, name: str | None = None) -> PackedFile:
        """Copy a whole WARC file in as `archive/<name>`, as it is."""
        path = f"archive/{name or Path(source).name}"
        member, hashing = self._member(path, stored=True, size=Path(source).stat().st_size)
        with open(source, "rb") as fh:
            shutil.copyfileobj(fh, hashing, _COPY_CHUNK)
        return self._finish(path, member, hashing)

    def add_warc_records(
        self, source: Path, spans: Iterable[RecordSpan], name: str
    ) -> tuple[PackedFile, dict[int, int]]:
        """Copy chosen records of *source* (each one gzip member) into `archive/<name>`.

        Returns the packed file and where each copied record now starts (old offset -> new),
        which is what its index lines need. Spans are copied in the order given.
        """
        path = f"archive/{name}"
        moved: dict[int, int] = {}
        spans = list(spans)
        size = sum(span.length for span in spans)
        member, hashing = self._member(path, stored=True, size=size)
        with open(source, "rb") as fh:
            for span in spans:
                moved[span.offset] = hashing.size
                fh.seek(span.offset)
                left = span.length
                while left:
                    chunk = fh.read(min(left, _COPY_CHUNK))
                    if not chunk:
                        raise OSError(f"{source} ends inside the record at offset {span.offset}")
                    hashing.write(chunk)
                    left -= len(chunk)
        return self._finish(path, member, hashing), moved

    def add_index(self, lines: Iterable[str], name: str = "index.cdxj") -> PackedFile:
        """Write the (already sorted) CDXJ lines as `indexes/<name>`."""
        return self._add_text(f"indexes/{name}", lines, stored=True)

    def add_pages(self, pages: Iterable[dict[str, Any]]) -> PackedFile:
        """Write `pages/pages.jsonl`: the header line, then one JSON object per page."""

        def lines() -> Iterator[str]:
            for page in _with_header(pages):
                if page is not PAGES_HEADER and self.main_page is None:
                    self.main_page = (page["url"], page["ts"])
                yield json.dumps(page, ensure_ascii=False, separators=(",", ":")) + "\n"

        return self._add_text("pages/pages.jsonl", lines(), stored=False)

    def _add_text(self, path: str, lines: Iterable[str], *, stored: bool) -> PackedFile:
        """Lines of unknown total size go to a temp file first (disk, not memory), so the zip
        member is written with its size known."""
        with tempfile.TemporaryFile() as spool:
            for line in lines:
                spool.write(line.encode("utf-8"))
            size = spool.tell()
            spool.seek(0)
            member, hashing = self._member(path, stored=stored, size=size)
            shutil.copyfileobj(spool, hashing, _COPY_CHUNK)
        return self._finish(path, member, hashing)

    def datapackage(self) -> dict[str, Any]:
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        package: dict[str, Any] = {
            "profile": "data-package",
            "wacz_version": WACZ_VERSION,
            "created": now,
            "modified": now,
            "software": self.software,
            "resources": [f.resource() for f in self.files],
        }
        if self.title:
            package["title"] = self.title
        if self.main_page:
            package["mainPageUrl"], package["mainPageDate"] = self.main_page
        return package

    def close(self) -> Path:
        """Write datapackage.json and its digest, close the zip, move it into place."""
        manifest = json.dumps(self.datapackage(), ensure_ascii=False, indent=2).encode("utf-8")
        self._zip.writestr("datapackage.json", manifest, zipfile.ZIP_DEFLATED)
        manifest_hash = f"sha256:{hashlib.sha256(manifest).hexdigest()}"
        digest = {"path": "datapackage.json", "hash": manifest_hash}
        self._zip.writestr(
            "datapackage-digest.json", json.dumps(digest, indent=2), zipfile.ZIP_DEFLATED
        )
        self._zip.close()
        os.replace(self.partial, self.out)
        return self.out


def _with_header(pages: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield PAGES_HEADER
    yield from pages


def warc_index_lines(warc: Path, index: Path | None, scratch: Path) -> Iterator[str]:
    """The sorted CDXJ lines of one WARC: its index beside it if there, else cdxj-indexer's."""
    if index is None or not index.is_file():
        fd, tmp = tempfile.mkstemp(suffix=".cdxj", dir=scratch)
        os.close(fd)
        CDXJIndexer(output=tmp, inputs=[str(warc)], sort=True).process_all()
        index = Path(tmp)
    with open(index, encoding="utf-8") as fh:
        yield from fh


def relocated_lines(lines: Iterable[str], moved: dict[int, int], name: str) -> Iterator[str]:
    """Index lines of the copied records only, pointing at their place in the exported WARC."""
    for line in lines:
        key, timestamp, fields = line.split(" ", 2)
        found = _CDXJ_OFFSET.search(fields)
        if found is None or int(found.group(1)) not in moved:
            continue
        entry = json.loads(fields)
        entry["offset"] = str(moved[int(entry["offset"])])
        entry["filename"] = name
        yield f"{key} {timestamp} {json.dumps(entry)}\n"


def spooled(lines: Iterable[str], scratch: Path) -> Iterator[str]:
    """*lines* written to a temp file in *scratch* now, read back lazily."""
    fd, tmp = tempfile.mkstemp(suffix=".cdxj", dir=scratch)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.writelines(lines)
    return _read_lines(Path(tmp))


def _read_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8") as fh:
        yield from fh


def merged_index(per_file: Iterable[Iterable[str]]) -> Iterator[str]:
    """One sorted index from already sorted per-file indexes, streamed (heap merge)."""
    return heapq.merge(*per_file)
