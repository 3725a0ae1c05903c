"""The flows under a real `prefect server` (loopback, SQLite): a scheduled deployment served by
`newsarc serve` runs on its own, and a flow killed mid-crawl and run again archives exactly what an
uninterrupted run archives."""

from __future__ import annotations

import atexit
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

# Same pattern as test_prefect_flows: Prefect's home (and so anything it writes) in a temporary
# directory, set before Prefect is first imported in this process.
if "PREFECT_HOME" not in os.environ:
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="newsarc-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], True)

from flows.demo_sites import DemoSites  # noqa: E402
from flows.local_server import LocalPrefectServer  # noqa: E402
from tests.warc_validation import assert_valid_warc  # noqa: E402

pytestmark = pytest.mark.slow

BULK_STORIES = 600
NEWSARC = str(Path(sys.executable).parent / "newsarc")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory):
    """A real Prefect server with its scheduler, on a free loopback port, SQLite in tmp."""
    home = tmp_path_factory.mktemp("prefect-server")
    settings = {
        "PREFECT_HOME": str(home),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home}/prefect.db",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    }
    with LocalPrefectServer(log=home / "server.log", env=settings) as server:
        yield server


@pytest.fixture(scope="module")
def sites():
    with DemoSites(bulk_stories=BULK_STORIES) as demo:
        yield demo


def client_env(server: LocalPrefectServer, home: Path) -> dict[str, str]:
    """What a newsarc process needs to be a client of `server` (and nothing else)."""
    return {
        **os.environ,
        **server.client_env(),  # PREFECT_API_URL and the server's auth string
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }


def auth_header(server: LocalPrefectServer) -> dict[str, str]:
    token = base64.b64encode(server.auth_string.encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def api(server: LocalPrefectServer, path: str, body: dict) -> list | dict:
    """POST to the server's REST API (the test reads run states the way any client would)."""
    import urllib.request

    request = urllib.request.Request(
        f"{server.api_url}{path}",
        data=json.dumps(body).encode("utf-8"),
        headers={"Content-Type": "application/json", **auth_header(server)},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a process started in its own session, with everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def poll(predicate, *, timeout: float, what: str, process: subprocess.Popen | None = None):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if process is not None and process.poll() is not None:
            raise AssertionError(f"{what}: the process exited with {process.returncode} first")
        assert time.monotonic() < deadline, f"{what}: not within {timeout:.0f} s"
        time.sleep(0.05)


def test_served_deployment_runs_on_its_schedule(prefect_server, sites, tmp_path):
    data = tmp_path / "data"
    profile = sites.write_profiles(data / "profiles")["translated"]
    with profile.open("a", encoding="utf-8") as toml:
        toml.write("\n[schedule]\ninterval_minutes = 0.25\n")
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen(
            [NEWSARC, "serve", str(profile), "--data", str(data)],
            env=client_env(prefect_server, tmp_path / "client"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:

        def completed_scheduled_run():
            runs = api(
                prefect_server,
                "/flow_runs/filter",
                {"flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}}},
            )
            return [r for r in runs if r["auto_scheduled"]]

        [run, *_] = poll(
            completed_scheduled_run, timeout=300, what="a scheduled run completed", process=serve
        )
    finally:
        stop(serve)
        print(log.read_text(errors="replace")[-3000:])

    [named] = api(
        prefect_server,
        "/deployments/filter",
        {"deployments": {"id": {"any_": [run["deployment_id"]]}}},
    )
    assert named["name"] == "demo-translated"
    assert named["schedules"][0]["schedule"]["interval"] == 15.0
    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    try:
        [(stories,)] = con.execute("SELECT count(*) FROM articles").fetchall()
        profiles = {p for (p,) in con.execute("SELECT DISTINCT profile FROM captures").fetchall()}
    finally:
        con.close()
    assert stories > 0 and profiles == {"demo-translated"}


def crawl_command(profiles: list[Path], data: Path) -> list[str]:
    return [NEWSARC, "crawl", *map(str, profiles), "--data", str(data), "--format", "json"]


def run_to_the_end(command: list[str], env: dict) -> dict:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return json.loads(done.stdout)


def job_state(data: Path, profile: str) -> dict:
    try:
        return json.loads((data / "jobs" / profile / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def pages_crawled(data: Path, profile: str) -> int:
    try:
        path = data / "jobs" / profile / "progress.json"
        return json.loads(path.read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError):
        return 0


def archive_content(data: Path) -> dict:
    """What an archive holds, by content: no times, run ids or file names."""
    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    try:

        def rows(sql: str) -> Counter:
            return Counter(con.execute(sql).fetchall())

        return {
            "captures": rows(
                "SELECT url, record_type, status FROM captures"
                " WHERE record_type IN ('response', 'revisit', 'metadata', 'resource')"
            ),
            "articles": rows(
                "SELECT canonical_url, title_en, title_zh, status, version_count FROM articles"
            ),
            "versions": rows(
                "SELECT a.canonical_url, v.version, v.content_hash FROM article_versions v"
                " JOIN articles a USING (article_id)"
            ),
            "changes": rows(
                "SELECT a.canonical_url, c.kind, c.from_version, c.to_version FROM changes c"
                " JOIN articles a USING (article_id)"
            ),
        }
    finally:
        con.close()


def test_flow_killed_mid_crawl_and_run_again_archives_what_an_uninterrupted_run_does(
    prefect_server, sites, tmp_path
):
    profiles = sites.write_profiles(tmp_path / "profiles")
    both = [profiles["bulk"], profiles["translated"]]
    env = client_env(prefect_server, tmp_path / "client")
    whole, killed = tmp_path / "uninterrupted", tmp_path / "killed"

    run_to_the_end(crawl_command(both, whole), env)

    flow = subprocess.Popen(
        crawl_command(both, killed),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        # the small site's crawl has finished (and its result is cached), the big one is halfway
        poll(
            lambda: (
                job_state(killed, "demo-translated").get("status") == "finished"
                and list((killed / "prefect-results").glob("crawl-*"))
                and pages_crawled(killed, "demo-bulk") >= 100
            ),
            timeout=120,
            what="translated crawled and bulk crawling",
            process=flow,
        )
    finally:
        stop(flow, signal.SIGKILL)  # the flow process and its crawl child, as in a power cut
    assert job_state(killed, "demo-bulk")["status"] == "running", "killed during the crawl"
    assert pages_crawled(killed, "demo-bulk") < BULK_STORIES

    again = run_to_the_end(crawl_command(both, killed), env)

    assert again["ok"]
    resumed = {row["site"]: row["resumed"] for row in again["summary"]["per_site"]}
    assert resumed == {"demo-bulk": True, "demo-translated": False}
    assert not list((killed / "warcs").glob("*.open"))
    for warc in sorted((killed / "warcs").glob("*.warc.gz")):
        assert_valid_warc(warc)
    expected, got = archive_content(whole), archive_content(killed)
    assert max(got["captures"].values()) == 1, "no URL is archived twice"
    for table in ("captures", "articles", "versions", "changes"):
        assert got[table] == expected[table], table
