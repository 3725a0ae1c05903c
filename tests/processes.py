"""Test helpers: what /proc says about processes (who is whose child, who still runs).

Not a test module. Used by the tests that kill newsarc and check nothing is left behind."""

from __future__ import annotations

from pathlib import Path


def alive(pid: int) -> bool:
    """Running, not a zombie nobody reaped (PID 1 of a container may never reap)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def children(pid: int, *, live_only: bool = False) -> dict[int, str]:
    """The child processes of `pid` (only the live ones if `live_only`): {pid: command line}."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or (live_only and not alive(int(entry.name))):
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, IndexError):
            continue
    return {child: cmd.decode(errors="replace") for child, cmd in found.items()}
