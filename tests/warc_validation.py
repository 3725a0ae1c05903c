"""Check a WARC with three independent verifiers; tests call `assert_valid_warc` on every WARC.

1. ``warcio check -v``: block and payload digests (including resource/metadata payloads).
2. ``fastwarc check --verify-payloads``: a second implementation of the same digests. FastWARC
   2.0.1 only defines payload digests for HTTP records, so it reports PAYLOAD_FAIL for every
   resource/metadata record carrying WARC-Payload-Digest (even when it is correct, as warcio
   confirms), and for revisits, whose digest is of a payload stored elsewhere. Those two cases
   are tolerated; a block digest failure, or a payload failure on a request/response, is not.
3. `archive.warc.recovery.verify_warc`: gzip framing member by member, which both tools above skip
   (``warcio check`` passes a file cut one byte before its end).

The tools run from the project venv (the directory of ``sys.executable``), not from PATH.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from archive.warc.reader import iter_capture_rows
from archive.warc.recovery import verify_warc

_BIN = Path(sys.executable).parent
_FASTWARC_PAYLOAD_BLIND = frozenset({"revisit", "resource", "metadata", "warcinfo"})


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)


def warcio_check(path: Path) -> tuple[bool, str]:
    """Run ``warcio check -v``; return (passed, output)."""
    proc = _run([str(_BIN / "warcio"), "check", "-v", str(path)])
    output = proc.stdout + proc.stderr
    return proc.returncode == 0, f"$ warcio check -v {path}\n(exit {proc.returncode})\n{output}"


def fastwarc_check(path: Path) -> tuple[bool, str]:
    """Run ``fastwarc check --verify-payloads``; judge each record as the module doc says."""
    with tempfile.TemporaryDirectory() as tmp:
        details = Path(tmp) / "details.txt"
        proc = _run(
            [
                str(_BIN / "fastwarc"),
                "check",
                "--verify-payloads",
                "--quiet",
                "--output",
                str(details),
                str(path),
            ]
        )
        lines = details.read_text(encoding="utf-8").splitlines() if details.exists() else []
    types = {row.record_id: row.record_type for row in iter_capture_rows(path)}
    failures = []
    for line in lines:
        record_id, _, status = line.rpartition(": ")
        block_status, _, payload_status = status.partition(", ")
        if block_status == "FAIL":
            failures.append(line)
        elif payload_status == "PAYLOAD_FAIL" and types.get(record_id) not in (
            _FASTWARC_PAYLOAD_BLIND
        ):
            failures.append(line)
    counted = len(lines) == len(types)
    ok = not failures and counted and (proc.returncode in (0, 1))
    output = (
        f"$ fastwarc check --verify-payloads {path}\n(exit {proc.returncode}; "
        f"{len(lines)} records checked, {len(types)} in file)\n"
        + "\n".join(lines)
        + (f"\nintolerable: {failures}" if failures else "")
        + proc.stdout
        + proc.stderr
    )
    return ok, output


def assert_valid_warc(path: Path) -> None:
    """Raise AssertionError (with every tool's output) unless all three verifiers pass."""
    path = Path(path)
    report = verify_warc(path)
    ok_gzip = report.ok
    gzip_out = (
        f"verify_warc: ok={report.ok} records={report.records} types={report.record_types} "
        f"problem={report.problem!r} at {report.problem_offset}"
    )
    ok_warcio, warcio_out = warcio_check(path)
    if ok_gzip:
        ok_fastwarc, fastwarc_out = fastwarc_check(path)
    else:
        ok_fastwarc, fastwarc_out = False, "fastwarc check skipped: gzip framing is broken"
    if not (ok_gzip and ok_warcio and ok_fastwarc):
        raise AssertionError(
            f"{path} is not a valid WARC\n\n{gzip_out}\n\n{warcio_out}\n\n{fastwarc_out}"
        )
