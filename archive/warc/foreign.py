"""Other crawlers' WARC files made into ones newsarc can index: one gzip member per record.

wget, Heritrix and Browsertrix write per-record gzip, but a WARC may also arrive plain (`.warc`)
or gzipped whole (one member for the file). Offsets, CDXJ and replay need one member per record,
so such a file is re-written as `warcio recompress` would: every record's bytes unchanged, each
in its own gzip member. A file already in that form is copied byte for byte. Either way the file
is read to its end first, so a cut or corrupt file is refused with the reason, never half taken.
A WACZ is a zip whose `archive/` holds WARCs: each is taken out and treated the same way.
"""

from __future__ import annotations

import gzip
import os
import shutil
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from archive.errors import BadWarc
from archive.warc.recovery import verify_warc

_CHUNK = 1 << 16
_MAX_HEADER_BYTES = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_END = b"\r\n\r\n"
WARC_SUFFIXES = (".warc", ".warc.gz")
WACZ_SUFFIX = ".wacz"


@dataclass(frozen=True, slots=True)
class NormalisedWarc:
    """What `normalise_warc` wrote: how many records, and whether it copied or re-compressed."""

    target: Path
    records: int
    recompressed: bool


def is_foreign_archive(path: Path) -> bool:
    """A file `newsarc import` takes: a WARC (plain or gzipped) or a WACZ."""
    name = path.name.lower()
    return name.endswith(WARC_SUFFIXES) or name.endswith(WACZ_SUFFIX)


def normalise_warc(source: Path, target: Path) -> NormalisedWarc:
    """Write *source* to *target* as per-record gzip, its records' bytes unchanged.

    Raises `BadWarc` naming *source* and why it cannot be taken in (truncated, corrupt gzip,
    not a WARC record, a Content-Length that runs past the end); *target* is then not left
    behind. *target* is written and flushed to disk but not renamed: the caller places it."""
    source, target = Path(source), Path(target)
    try:
        with source.open("rb") as fh:
            magic = fh.read(5)
        if not magic:
            raise BadWarc(source, 0, "empty file")
        if magic.startswith(_GZIP_MAGIC):
            check = verify_warc(source)
            if check.ok:
                shutil.copyfile(source, target)
                _fsync(target)
                return NormalisedWarc(target, check.records, recompressed=False)
            with gzip.open(source, "rb") as plain:
                records = _recompress(source, plain, target)
        elif magic == b"WARC/":
            with source.open("rb") as plain:
                records = _recompress(source, plain, target)
        else:
            raise BadWarc(source, 0, "not a WARC file (neither gzip nor a WARC/ version line)")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return NormalisedWarc(target, records, recompressed=True)


def _recompress(source: Path, plain: BinaryIO, target: Path) -> int:
    """Copy each record of the plain WARC stream *plain* into its own gzip member."""
    records = 0
    position = 0  # in the uncompressed WARC, for the reasons given
    try:
        with target.open("wb") as out:
            while True:
                header = _read_header(source, plain, position)
                if header is None:
                    break
                length = _content_length(source, header, position)
                member = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
                out.write(member.compress(header))
                left = length + len(_END)
                tail = b""
                while left:
                    piece = plain.read(min(left, _CHUNK))
                    if not piece:
                        raise BadWarc(
                            source,
                            position,
                            f"truncated: the file ends inside record {records + 1} "
                            f"({left} of its bytes missing)",
                        )
                    left -= len(piece)
                    tail = (tail + piece)[-len(_END) :]
                    out.write(member.compress(piece))
                if tail != _END:
                    raise BadWarc(source, position, "record does not end with CRLF CRLF")
                out.write(member.flush())
                records += 1
                position += len(header) + length + len(_END)
            out.flush()
            os.fsync(out.fileno())
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        reason = "truncated gzip data" if isinstance(exc, EOFError) else "corrupt gzip data"
        raise BadWarc(source, None, f"{reason} ({exc}) after {records} whole records") from exc
    if not records:
        raise BadWarc(source, 0, "no WARC record in it")
    return records


def _read_header(source: Path, plain: BinaryIO, position: int) -> bytes | None:
    """The next record's header block through its blank line, or None at a clean end.

    Blank lines between records (some writers add them) are dropped; nothing else is."""
    head = bytearray()
    while True:
        line = plain.readline(_MAX_HEADER_BYTES)
        if not line:
            if head:
                raise BadWarc(source, position, "truncated: the file ends inside a WARC header")
            return None
        if not head:
            if not line.strip():
                continue
            if not line.startswith(b"WARC/"):
                raise BadWarc(source, position, "a record does not start with a WARC/ version line")
        head += line
        if line == b"\r\n":
            return bytes(head)
        if len(head) > _MAX_HEADER_BYTES:
            raise BadWarc(source, position, "no end of WARC header within 1 MiB")


def _content_length(source: Path, header: bytes, position: int) -> int:
    fields = {}
    for line in header.split(b"\r\n")[1:]:
        name, sep, value = line.partition(b":")
        if sep:
            fields.setdefault(name.strip().lower(), value.strip())
    if b"warc-type" not in fields or b"warc-record-id" not in fields:
        raise BadWarc(source, position, "WARC header without WARC-Type or WARC-Record-ID")
    try:
        length = int(fields[b"content-length"])
    except (KeyError, ValueError) as exc:
        raise BadWarc(source, position, "WARC header without a valid Content-Length") from exc
    if length < 0:
        raise BadWarc(source, position, "negative Content-Length")
    return length


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def wacz_warcs(wacz: Path, into: Path) -> Iterator[tuple[str, Path]]:
    """Each WARC inside the WACZ *wacz* (its `archive/` directory), extracted into *into*:
    (its name inside the package, the extracted file). The caller deletes each file.

    A zip that cannot be read, or a member whose CRC does not match, raises `BadWarc`."""
    wacz = Path(wacz)
    try:
        with zipfile.ZipFile(wacz) as package:
            names = [
                n
                for n in package.namelist()
                if n.startswith("archive/") and n.lower().endswith(WARC_SUFFIXES)
            ]
            if not names:
                raise BadWarc(wacz, None, "a WACZ without any WARC under archive/")
            for number, name in enumerate(sorted(names)):
                extracted = into / f".wacz-{os.getpid()}-{number}.partial"
                try:
                    with package.open(name) as member, extracted.open("wb") as out:
                        shutil.copyfileobj(member, out, _CHUNK)
                    yield name, extracted
                finally:
                    extracted.unlink(missing_ok=True)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BadWarc(wacz, None, f"not a readable WACZ (zip): {exc}") from exc
