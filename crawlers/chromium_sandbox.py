"""How Chromium is started: with its sandbox on, and never as root.

A rendered page is a stranger's program. Chromium's sandbox (user namespaces and seccomp) keeps
a compromised renderer away from the machine, but it refuses to run as root, and we are root
in CI. So as root Chromium is started through chromium-as-user.sh as an unprivileged user
(`newsarc-browser`, which `./run setup` creates, else `nobody`); as anyone else it is started
directly. Only where the sandbox cannot work (no user namespaces) does Chromium run with
--no-sandbox, and the crawl log says so.
"""

from __future__ import annotations

import functools
import logging
import os
import pwd
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

BROWSER_USERS = ("newsarc-browser", "nobody")
RUN_AS_USER = Path(__file__).with_name("chromium-as-user.sh")
# Chromium's namespace sandbox needs exactly these: a new user, PID and network namespace.
_NAMESPACE_PROBE = ["unshare", "--user", "--pid", "--net", "--fork", "true"]


@dataclass(frozen=True)
class ChromiumStart:
    """What Playwright is told to run: an executable, flags of ours, sandbox or not."""

    executable: str
    args: tuple[str, ...]
    sandbox: bool
    user: str  # the user Chromium runs as

    def describe(self) -> str:
        sandbox = "sandbox on" if self.sandbox else "NO SANDBOX"
        return f"Chromium {self.executable} as {self.user}, {sandbox}"


@functools.cache
def chromium_start(chromium: str) -> ChromiumStart:
    """Decided once per process: probing costs a few milliseconds, the answer never changes."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid()).pw_name
        return _checked(ChromiumStart(chromium, (), _namespaces_work([]), me))
    user = next((u for u in BROWSER_USERS if _user_exists(u)), None)
    if user is None or shutil.which("setpriv") is None:
        log.warning("no unprivileged user or no setpriv: Chromium runs as root, unsandboxed")
        return ChromiumStart(chromium, (), False, "root")
    as_user = ["setpriv", f"--reuid={user}", f"--regid={pwd.getpwnam(user).pw_gid}"]
    start = ChromiumStart(
        str(RUN_AS_USER),
        (f"--newsarc-run-as={user}", f"--newsarc-chromium={chromium}"),
        _namespaces_work([*as_user, "--clear-groups"]),
        user,
    )
    return _checked(start)


def _checked(start: ChromiumStart) -> ChromiumStart:
    if not start.sandbox:
        log.warning(
            "user namespaces are not available to %s: Chromium runs with --no-sandbox",
            start.user,
        )
    return start


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _namespaces_work(prefix: list[str]) -> bool:
    if shutil.which("unshare") is None:  # cannot ask; the kernel's limit is the best hint
        limit = Path("/proc/sys/user/max_user_namespaces")
        return limit.exists() and limit.read_text().strip() != "0"
    try:
        probe = subprocess.run(
            [*prefix, *_NAMESPACE_PROBE], capture_output=True, timeout=10, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0
