"""`newsarc replay`: pywb over the archive's WARCs in place, on loopback by default.

pywb pins old libraries, so it runs from its own virtualenv (`NEWSARC_PYWB`, else `.venv-pywb/bin`,
both made by `./run setup`) as a child process. Its generated config points one collection at
`DATA/warcs` and at the merged CDXJ newsarc already keeps there (`index.cdxj`), which pywb opens
afresh for every lookup: WARCs ingested while it runs replay without a restart, and nothing is
copied. The child dies with this process (crawlers/lifeline.py), so no pywb outlives the command.
"""

from __future__ import annotations

import ipaddress
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from archive.errors import NewsarcError
from archive.stories.replay_links import REPLAY_COLLECTION
from archive.warc.cdxj import MERGED_NAME
from crawlers.lifeline import command_dying_with_parent

PYWB_ENV = "NEWSARC_PYWB"
DEFAULT_PYWB_BIN = Path(__file__).resolve().parents[1] / ".venv-pywb" / "bin"
STARTUP_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 10
# The project interpreter's settings must not leak into pywb's own virtualenv.
_ENV_DROP = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
# Probing our own server never goes through an http_proxy from the environment.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def pywb_wayback() -> Path:
    """pywb's `wayback` server, or a one-line error saying how to install it."""
    bin_dir = Path(os.environ.get(PYWB_ENV) or DEFAULT_PYWB_BIN)
    wayback = bin_dir / "wayback"
    if not os.access(wayback, os.X_OK):
        raise NewsarcError(f"pywb is not installed ({wayback} not found): run ./run setup")
    return wayback


def write_pywb_config(data: Path) -> Path:
    """DATA/replay/config.yaml: the `newsarc` collection over DATA/warcs and its merged CDXJ.

    Written at every start (JSON strings are YAML strings, so any path quotes safely)."""
    warcs = (data / "warcs").resolve()
    config = data.resolve() / "replay" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        "# Written by `newsarc replay` at each start: edits are overwritten.\n"
        "collections:\n"
        f"  {REPLAY_COLLECTION}:\n"
        f"    index_paths: {json.dumps(str(warcs / MERGED_NAME))}\n"
        f"    archive_paths: {json.dumps(str(warcs) + os.sep)}\n"
        "enable_memento: true\n",
        encoding="utf-8",
    )
    return config


def is_loopback(host: str) -> bool:
    """True when every address `host` names is a loopback one (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return bool(infos) and all(ipaddress.ip_address(i[4][0]).is_loopback for i in infos)


def _url_host(host: str) -> str:
    """Where a client reaches a server bound to `host` (a wildcard is reached on loopback)."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "[::1]"
    return f"[{host}]" if ":" in host else host


def replay_command(data: Path, *, host: str, port: int, console) -> None:
    """Serve DATA's archive with pywb until Ctrl-C or SIGTERM; print the URL first."""
    wayback = pywb_wayback()

    def say(line: str) -> None:
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    if not is_loopback(host):
        say(f"warning: listening on {host}, not loopback: anyone who can reach this machine can "
            "browse the archive")  # fmt: skip
    config = write_pywb_config(data)
    if not (data / "warcs" / MERGED_NAME).is_file():
        say(f"warning: no {MERGED_NAME} yet, nothing replays: run `newsarc ingest`")
    log_path = config.parent / "pywb.log"
    base = f"http://{_url_host(host)}:{port}/{REPLAY_COLLECTION}"
    stop = threading.Event()
    previous = {s: signal.signal(s, lambda *_: stop.set()) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        with open(log_path, "wb") as log:
            pywb = subprocess.Popen(
                command_dying_with_parent([str(wayback), "-b", host, "-p", str(port)]),
                cwd=config.parent,
                env={k: v for k, v in os.environ.items() if k not in _ENV_DROP},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches us; we stop pywb in order
            )
        try:
            _wait_until_serving(pywb, base, log_path, stop)
            if not stop.is_set():
                say(f"replaying {(data / 'warcs').resolve()} at {base}/")
                say(f"any capture: {base}/<14-digit timestamp>/<url>")
                say(f"pywb log: {log_path}; Ctrl-C stops")
            while not stop.wait(0.5):
                if pywb.poll() is not None:
                    raise NewsarcError(f"pywb stopped on its own: {_last_line(log_path)}")
        finally:
            _stop(pywb)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    say("replay stopped")


def _wait_until_serving(
    pywb: subprocess.Popen, base: str, log_path: Path, stop: threading.Event
) -> None:
    """Poll the collection page until pywb answers; a clear error if it exits or never does."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not stop.is_set():
        if pywb.poll() is not None:
            raise NewsarcError(f"pywb did not start: {_last_line(log_path)}")
        try:
            with _DIRECT.open(f"{base}/", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # pywb answered, if only with an error page
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise NewsarcError(f"pywb did not answer at {base}/ within {STARTUP_TIMEOUT_SECONDS}s")
        stop.wait(0.2)


def _stop(pywb: subprocess.Popen) -> None:
    if pywb.poll() is not None:
        return
    pywb.terminate()
    try:
        pywb.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        pywb.kill()
        pywb.wait()


def _last_line(log_path: Path) -> str:
    """pywb's last log line (its reason, e.g. the port is taken), for a one-line error."""
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1] if lines else "no output"
