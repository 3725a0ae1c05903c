"""`newsarc replay`: pywb over the archive's WARCs in place, on loopback by default."""

from __future__ import annotations

from pathlib import Path

from archive.errors import NewsarcError


def replay_command(data: Path, *, host: str, port: int, console) -> None:
    """Serve DATA's archive with pywb until interrupted; print the URL first."""
    raise NewsarcError("replay is not built yet")
