"""How `newsarc` reports a mistake a person can fix: one line saying what was wrong (the file,
option or key) and what to do, and a non-zero exit. Anything else is a bug and keeps its
traceback, so it reaches a developer rather than being shortened into a riddle."""

from __future__ import annotations

import errno
import os
import sys

import typer
from typer._click.exceptions import NoArgsIsHelpError, UsageError  # typer's own click
from typer.core import TyperGroup

from archive.errors import BadProfile, NewsarcError

# What to do about an OS error a person can fix.
_OS_ERROR_HINTS = {
    errno.ENOENT: "check the path",
    errno.ENOTDIR: "check the path",
    errno.EISDIR: "give a file, not a directory",
    errno.EACCES: "check the owner and mode of that path",
    errno.EPERM: "check the owner and mode of that path",
    errno.EROFS: "use a writable --data directory",
    errno.ENOSPC: "the disk is full: free some space and run the command again",
    errno.EDQUOT: "the disk quota is used up: free some space and run the command again",
}
# These need no file name to be understood (a write to an open file rarely carries one).
_WHOLE_DISK = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


class OneLineErrors(TyperGroup):
    """The command group: exit 2 for what was typed (options, arguments, profiles), 1 for the
    rest (a missing or locked catalog, refused SQL, a full or read-only disk...)."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except NoArgsIsHelpError:
            raise
        except UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "newsarc"
            _fail(f"{where}: {exc.format_message()} (see `{where} --help`)", 2)
        except BadProfile as exc:
            _fail(str(exc), 2)
        except NewsarcError as exc:
            _fail(str(exc), 1)
        except Exception as exc:
            message = environment_problem(exc)
            if message is None:
                raise
            _fail(message, 1)


def environment_problem(exc: BaseException) -> str | None:
    """One line for an OS or DuckDB I/O error about the machine (a missing path, permissions,
    a full or read-only disk), or None: then it is taken for a bug."""
    if isinstance(exc, OSError):
        hint = _OS_ERROR_HINTS.get(exc.errno)
        if hint is None or (exc.filename is None and exc.errno not in _WHOLE_DISK):
            return None
        where = f"{exc.filename}: " if exc.filename is not None else ""
        return f"{where}{exc.strerror}: {hint}"
    duckdb = sys.modules.get("duckdb")  # not imported: cannot be one of its errors
    if duckdb is not None and isinstance(exc, duckdb.Error):
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        for code in _WHOLE_DISK + (errno.EACCES,):
            if os.strerror(code) in first:
                return f"{first}: {_OS_ERROR_HINTS[code]}"
    return None


def _fail(message: str, code: int) -> None:
    """One line on stderr, never wrapped, then exit with *code*."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
