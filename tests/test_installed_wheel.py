"""newsarc installed as a user installs it: `pip install .` into a fresh virtual environment
outside the checkout, then `newsarc demo` from another directory.

Every other test imports the code from the checkout, so a module or data file (a demo profile,
schema.sql, the Chromium launcher) that the wheel leaves out, or a product import of `tests`,
would pass them all and fail for the first person who installs newsarc. The install uses uv with
the locked versions as constraints, so it takes seconds from uv's cache and needs nothing but
PyPI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _uv() -> str:
    """The uv `./run` uses: on PATH, or bootstrapped into .tools/."""
    found = shutil.which("uv") or shutil.which("uv", path=str(ROOT / ".tools" / "bin"))
    assert found, "uv is missing: run ./run setup"
    return found


def _run(*command: str | Path, cwd: Path, env: dict | None = None, timeout: int = 300):
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (
        f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done


def _outside_checkout_env(venv: Path) -> dict:
    """The environment of a shell with only the new venv on PATH: nothing points at the
    checkout or at the test run's own virtual environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.pop("PREFECT_API_URL", None)
    env["PATH"] = os.pathsep.join([str(venv / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])
    env["COLUMNS"] = "300"  # rich would fold a long temporary path in the summary
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding newsarc built from this checkout, with the locked dependencies."""
    place = tmp_path_factory.mktemp("installed")
    venv = place / "venv"
    uv = _uv()
    python = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    _run(uv, "venv", venv, "--python", python, cwd=place)
    constraints = _run(
        uv, "export", "--frozen", "--no-dev", "--no-hashes", "--no-emit-project", cwd=ROOT
    ).stdout
    (place / "constraints.txt").write_text(constraints)
    _run(
        uv, "pip", "install", "--python", venv / "bin" / "python",
        "-c", place / "constraints.txt", ROOT,
        cwd=place,
    )  # fmt: skip
    return venv


def test_installed_package_does_not_come_from_the_checkout(installed, tmp_path):
    where = _run(
        installed / "bin" / "python",
        "-c",
        "import archive, crawlers, flows, flows.demo_sites; print(flows.demo_sites.__file__)",
        cwd=tmp_path,
        env=_outside_checkout_env(installed),
    ).stdout.strip()
    assert Path(where).is_relative_to(installed), where
    assert not Path(where).is_relative_to(ROOT), where


def test_installed_newsarc_demo_archives_the_demo_sites_from_another_directory(installed, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _outside_checkout_env(installed)
    newsarc = installed / "bin" / "newsarc"

    demo = _run(newsarc, "demo", cwd=elsewhere, env=env, timeout=480)

    data = elsewhere / "data"  # the default --data, relative to where the command ran
    assert list((data / "warcs").glob("*.warc.gz")), demo.stdout
    assert (data / "warcs" / "index.cdxj").stat().st_size > 0
    assert (data / "archive.duckdb").is_file()
    summary = demo.stdout
    assert "demo-aggregator" in summary and "demo-translated" in summary, summary
    assert "new stories" in summary, summary
    assert f"WARC files: {data / 'warcs'}" in summary, summary
    assert f"DuckDB:     {data / 'archive.duckdb'}" in summary, summary

    counted = _run(
        newsarc, "query", "select count(*) as stories from articles", "--format", "json",
        cwd=elsewhere, env=env,
    )  # fmt: skip
    assert json.loads(counted.stdout)[0]["stories"] > 0, counted.stdout
