"""What a benchmark ran on: printed and saved next to every figure."""

from __future__ import annotations

import os
import platform
import re
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def package_version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def machine(*packages: str) -> dict:
    """CPU, memory, kernel, Python and the versions of `packages`."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "?"
    try:
        kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        **{name: package_version(name) for name in packages},
    }


@dataclass(frozen=True)
class ChildRun:
    returncode: int
    wall_seconds: float
    usage: resource.struct_rusage  # the child's own CPU times and peak RSS (from wait4)


def run_measured(command: list[str], output: Path, *, cwd: Path, timeout: float) -> ChildRun:
    """Run `command` with stdout+stderr to `output`; measure its wall time, CPU and peak RSS.

    The child is killed after `timeout` seconds, or when the benchmark itself is interrupted."""
    with output.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, child.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:  # e.g. Ctrl-C: do not leave the child running
            child.kill()
            child.wait()
            raise
        finally:
            killer.cancel()
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, tell Popen
    return ChildRun(child.returncode, wall, usage)


def print_figures(title: str, rows: list[tuple[str, str]]) -> None:
    """A benchmark's figures as aligned `key  value` lines under its title."""
    width = max(len(key) for key, _ in rows)
    print(title)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}".rstrip())
