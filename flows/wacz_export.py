"""WACZ export (`newsarc export --format wacz`): the archive as one package for replay tools."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from archive.errors import NewsarcError


def export_wacz_command(
    data: Path, *, out: Path | None, site: str | None, since: datetime | None, console
) -> None:
    """Write a WACZ of DATA's archive (or of one site, or of captures since a time)."""
    raise NewsarcError("WACZ export is not built yet")
