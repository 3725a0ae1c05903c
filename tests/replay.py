"""Test helpers: replay WARCs through pywb and render pages in Debian's Chromium.

Not a test module. pywb lives in its own virtualenv (``.venv-pywb/``, built by ``./run setup`` from
``tools/pywb/requirements.lock``); ``NEWSARC_PYWB`` points at its ``bin`` directory. Chromium is
Debian's ``/usr/bin/chromium`` (``NEWSARC_CHROMIUM``), driven by the project's Playwright.

Missing tools raise :class:`ReplayToolMissing` (a test failure, never a skip) telling the reader to
run ``./run setup``.

    with PywbReplay([warc], tmp_path) as replay:
        html = requests.get(replay.replay_url("http://site/page", "20240501120000")).text
        dom = render_in_chromium(replay.replay_url("http://site/live/page"))
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SETUP_HINT = "run `./run setup` (from the repository root) to install it"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Environment variables of the calling (project) interpreter that must not leak into pywb's.
_ENV_DROP = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


class ReplayToolMissing(RuntimeError):
    """pywb or Chromium is not installed where the test suite expects it."""


class ReplayServerError(RuntimeError):
    """pywb could not build the collection or the server did not come up."""


def pywb_bin_dir() -> Path:
    """Directory holding pywb's ``wayback`` and ``wb-manager`` (its own venv)."""
    bin_dir = Path(os.environ.get("NEWSARC_PYWB") or REPO_ROOT / ".venv-pywb" / "bin")
    for tool in ("wayback", "wb-manager"):
        if not os.access(bin_dir / tool, os.X_OK):
            raise ReplayToolMissing(f"pywb `{tool}` not found in {bin_dir}: {SETUP_HINT}")
    return bin_dir


def chromium_path() -> str:
    """Debian's Chromium binary (``NEWSARC_CHROMIUM`` or ``/usr/bin/chromium``)."""
    path = os.environ.get("NEWSARC_CHROMIUM") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        raise ReplayToolMissing(f"Chromium not found at {path}: {SETUP_HINT}")
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timestamp(ts: str | datetime | None) -> str | None:
    if ts is None or isinstance(ts, str):
        return ts
    return ts.strftime("%Y%m%d%H%M%S")


class PywbReplay:
    """Context manager: a pywb collection built from ``warc_paths``, served on 127.0.0.1.

    The collection is created with ``wb-manager init`` / ``wb-manager add`` under
    ``tmp_dir/pywb`` and served by ``wayback`` on a free port, unframed (``framed_replay: false``)
    so the replayed page itself, not a frame wrapper, is what HTTP clients and Chromium receive.
    """

    def __init__(
        self,
        warc_paths: Iterable[str | os.PathLike[str]],
        tmp_dir: str | os.PathLike[str],
        collection: str = "newsarc",
        start_timeout: float = 60.0,
    ) -> None:
        self.warc_paths = [Path(p).resolve() for p in warc_paths]
        self.root = Path(tmp_dir) / "pywb"
        self.collection = collection
        self.start_timeout = start_timeout
        self.port: int | None = None
        self.base_url: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._log_path = self.root / "wayback.log"

    # -- collection ---------------------------------------------------------------------------
    def _env(self) -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if k not in _ENV_DROP}

    def _wb_manager(self, bin_dir: Path, *args: str) -> None:
        proc = subprocess.run(
            [str(bin_dir / "wb-manager"), *args],
            cwd=self.root,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        if proc.returncode != 0:
            raise ReplayServerError(
                f"wb-manager {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
            )

    def _build_collection(self, bin_dir: Path) -> None:
        missing = [str(p) for p in self.warc_paths if not p.is_file()]
        if missing:
            raise FileNotFoundError(f"WARC files not found: {missing}")
        if self.root.exists():
            shutil.rmtree(self.root)
        self.root.mkdir(parents=True)
        (self.root / "config.yaml").write_text("framed_replay: false\n", encoding="utf-8")
        self._wb_manager(bin_dir, "init", self.collection)
        if self.warc_paths:
            self._wb_manager(bin_dir, "add", self.collection, *map(str, self.warc_paths))

    # -- server -------------------------------------------------------------------------------
    def _log_tail(self) -> str:
        try:
            return self._log_path.read_text(encoding="utf-8", errors="replace")[-4000:]
        except OSError:
            return ""

    def _start_server(self, bin_dir: Path) -> None:
        # A free port can be taken between probing and binding: retry a few times on early exit.
        for _attempt in range(3):
            self.port = _free_port()
            self.base_url = f"http://127.0.0.1:{self.port}"
            with open(self._log_path, "ab") as log:
                self._proc = subprocess.Popen(
                    [str(bin_dir / "wayback"), "-b", "127.0.0.1", "-p", str(self.port)],
                    cwd=self.root,
                    env=self._env(),
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            if self._wait_until_up():
                return
            if self._proc.poll() is None:  # running but not answering: give up
                break
        self._stop_server()
        raise ReplayServerError(
            f"pywb did not answer on {self.base_url} within {self.start_timeout}s:\n"
            f"{self._log_tail()}"
        )

    def _wait_until_up(self) -> bool:
        """Poll the collection page until it answers; False if pywb died or time ran out."""
        assert self._proc is not None
        deadline = time.monotonic() + self.start_timeout
        delay = 0.05
        probe = f"{self.base_url}/{self.collection}/"
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(probe, timeout=2) as resp:
                    if resp.status < 500:
                        return True
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
        return False

    def _stop_server(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)

    def __enter__(self) -> PywbReplay:
        bin_dir = pywb_bin_dir()
        self._build_collection(bin_dir)
        self._start_server(bin_dir)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop_server()

    # -- URLs ---------------------------------------------------------------------------------
    def replay_url(
        self, url: str, timestamp: str | datetime | None = None, modifier: str = ""
    ) -> str:
        """Replay URL for ``url``; the capture closest to ``timestamp`` (14 digits or datetime),
        the latest one when None. ``modifier`` is a pywb modifier such as ``id_`` (raw payload,
        no rewriting); it needs a timestamp."""
        if self.base_url is None:
            raise ReplayServerError("PywbReplay is not running (use it as a context manager)")
        ts = _timestamp(timestamp)
        if modifier and not ts:
            raise ValueError("a pywb modifier needs a timestamp")
        prefix = f"{self.base_url}/{self.collection}"
        return f"{prefix}/{ts}{modifier}/{url}" if ts else f"{prefix}/{url}"


def render_in_chromium(
    url: str, timeout: float = 30.0, wait_for_selector: str | None = None
) -> str:
    """Load ``url`` in Debian's headless Chromium via Playwright, wait for network idle (and
    optionally a selector) and return the final DOM as HTML."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS, timeout=timeout * 1000
        )
        try:
            page = browser.new_page()
            page.goto(url, wait_until="networkidle", timeout=timeout * 1000)
            if wait_for_selector:
                page.wait_for_selector(wait_for_selector, timeout=timeout * 1000)
            return page.content()
        finally:
            browser.close()
