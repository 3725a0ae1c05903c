"""A mistake a person can fix is one line: what was wrong (the file, option or key) and what to
do, a non-zero exit and no traceback. A bug in newsarc still shows its traceback."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.cli_process import NEWSARC, invoke, newsarc

BAD_PROFILE = """name = "typo"
start_urls = ["http://127.0.0.1:9/"]
allowed_domains = ["127.0.0.1"]

[limits]
max_pages = 0
"""
GREATER_OR_EQUAL_TO_1 = "Input should be greater than or equal to 1"


def test_a_page_that_does_not_exist(tmp_path):
    line = invoke("extract", str(tmp_path / "no-such.html")).one_line_error()
    assert f"'{tmp_path / 'no-such.html'}' does not exist" in line


def test_a_profile_that_does_not_exist(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><title>t</title></html>")
    ran = invoke("extract", str(page), "--profile", str(tmp_path / "site.toml"))
    assert ran.code == 2
    assert ran.one_line_error().endswith(f"{tmp_path / 'site.toml'}: no such profile file")


def test_a_profile_that_is_not_utf8(tmp_path):
    page, profile = tmp_path / "page.html", tmp_path / "site.toml"
    page.write_text("<html><title>t</title></html>")
    profile.write_bytes(b'name = "caf\xe9"\n')
    line = invoke("extract", str(page), "--profile", str(profile)).one_line_error()
    assert f"{profile}: not UTF-8 text" in line


def test_a_capture_time_that_is_not_iso_8601(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><title>t</title></html>")
    ran = invoke("extract", str(page), "--captured-at", "yesterday")
    assert ran.code == 2
    line = ran.one_line_error()
    assert "--captured-at" in line and "'yesterday' is not an ISO 8601 time" in line


@pytest.mark.parametrize("since", ["99999999999w", "9" * 40 + "d"])
def test_a_since_before_the_year_one(tmp_path, since):
    ran = invoke("changes", "--since", since, "--data", str(tmp_path))
    assert ran.code == 2
    assert "--since" in ran.one_line_error() and "give a shorter span" in ran.stderr


def test_a_since_that_is_neither_a_span_nor_a_date(tmp_path):
    line = invoke("changes", "--since", "last week", "--data", str(tmp_path)).one_line_error()
    assert "'last week' is not an ISO 8601 time (nor 24h, 7d, 30m or 2w)" in line


def test_a_data_directory_that_does_not_exist_is_never_reported_intact(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    ran = newsarc("verify", "--data", str(missing))
    assert ran.code == 1
    assert ran.one_line_error() == (
        f"error: data directory {missing} does not exist: "
        "pass --data with the directory `newsarc crawl` wrote to"
    )
    assert "intact" not in ran.stdout
    for command in ("ingest", "reindex", "export", "changes"):
        assert "does not exist" in invoke(command, "--data", str(missing)).one_line_error()
    assert not (tmp_path / "no").exists()  # and none of them created it


def test_a_data_directory_without_a_catalog(tmp_path):
    line = invoke("query", "SELECT 1", "--data", str(tmp_path)).one_line_error()
    assert line.startswith(f"error: no catalog at {tmp_path / 'archive.duckdb'}: ")
    assert "newsarc ingest" in line
    assert not (tmp_path / "archive.duckdb").exists()


def test_an_empty_catalog_file_points_to_reindex(tmp_path):
    (tmp_path / "archive.duckdb").write_bytes(b"")  # what a full disk used to leave behind
    for command in (("query", "SELECT 1"), ("history", "x"), ("changes",)):
        line = invoke(*command, "--data", str(tmp_path)).one_line_error()
        assert "not a valid DuckDB database" in line and "`newsarc reindex`" in line


def write_warc(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "http://127.0.0.1:9/", "response", payload=io.BytesIO(b"<html></html>"),
            http_headers=headers,
        )  # fmt: skip
        writer.write_record(record)


def in_private_mounts(tmp_path: Path, script: str, *args: str) -> subprocess.CompletedProcess:
    """Run *script* (sh, $1.. = *args*) in a private mount namespace: what it mounts is seen by
    nothing else and goes away with it. Read-only and full for root too, which chmod is not."""
    if (
        not shutil.which("unshare")
        or subprocess.run(
            ["unshare", "-m", "mount", "--bind", "-o", "ro", str(tmp_path), str(tmp_path)],
            capture_output=True,
        ).returncode
    ):
        pytest.skip("needs `unshare -m` and mount (CAP_SYS_ADMIN) to make a read-only or full disk")
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def one_line(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    [line] = done.stderr.strip().splitlines()
    return line


def test_a_read_only_data_directory(tmp_path):
    data = tmp_path / "data"
    write_warc(data / "warcs" / "site-00001.warc.gz")
    script = 'mount --bind -o ro "$1" "$1" && exec "$2" ingest --data "$1"'
    line = one_line(in_private_mounts(tmp_path, script, str(data), str(NEWSARC)))
    assert str(data) in line and "Read-only file system" in line
    assert "use a writable --data directory" in line or "check the permissions" in line
    assert sorted(p.name for p in data.rglob("*")) == ["site-00001.warc.gz", "warcs"]


def test_a_full_disk(tmp_path):
    data, warc = tmp_path / "data", tmp_path / "site-00001.warc.gz"
    data.mkdir()
    write_warc(warc)
    script = (
        'mount -t tmpfs -o size=1m tmpfs "$1" && mkdir "$1/warcs" && cp "$3" "$1/warcs/" && '
        '{ dd if=/dev/zero of="$1/filler" bs=4k 2>/dev/null; exec "$2" ingest --data "$1"; }'
    )
    line = one_line(in_private_mounts(tmp_path, script, str(data), str(NEWSARC), str(warc)))
    assert "No space left on device" in line and "free some space" in line


@pytest.mark.parametrize("command", ["crawl", "serve"])
def test_a_bad_profile_stops_crawl_and_serve_at_once(tmp_path, command):
    profile = tmp_path / "typo.toml"
    profile.write_text(BAD_PROFILE)
    data = tmp_path / "data"
    ran = newsarc(command, str(profile), "--data", str(data))
    assert ran.code == 2
    line = ran.one_line_error()
    assert line == f"error: bad profile {profile}: limits.max_pages: {GREATER_OR_EQUAL_TO_1}"
    assert ran.seconds < 10  # it used to take 35-45 s of Prefect start-up to say so
    assert not data.exists()


def test_every_profile_is_checked_before_the_first_starts(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(BAD_PROFILE.replace("max_pages = 0", "max_pages = 5"))
    ran = invoke("crawl", str(good), str(tmp_path / "missing.toml"), "--data", str(tmp_path / "d"))
    assert ran.code == 2
    assert ran.one_line_error().endswith(f"{tmp_path / 'missing.toml'}: no such profile file")
    assert not (tmp_path / "d").exists()


def test_a_bug_keeps_its_traceback(tmp_path, monkeypatch):
    """Only errors a person can act on are shortened; anything else must reach a developer."""
    import flows.pipeline

    def broken(data_dir):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(flows.pipeline, "ingest_data_dir", broken)
    ran = invoke("ingest", "--data", str(tmp_path))
    assert isinstance(ran.unhandled, ZeroDivisionError)
