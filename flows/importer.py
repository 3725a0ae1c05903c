"""`newsarc import`: WARC and WACZ files from other crawlers, checked, copied in and ingested."""

from __future__ import annotations

from pathlib import Path

from archive.errors import NewsarcError


def import_command(
    data: Path, paths: list[Path], *, profile: Path | None, site: str | None, output, console
) -> None:
    """Import *paths* into DATA and print what went in and what was skipped."""
    raise NewsarcError("import is not built yet")
