"""`newsarc export --format wacz` writes a WACZ 1.1.1 that the `wacz` tool validates, and a
subset of the archive carries every record its pages need.

One archive for the module: both demo sites crawled (the aggregator's `/live/` stories rendered in
Chromium), then an hour later the aggregator again, so the second crawl holds revisits whose
originals are in the first.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from flows.cli import app
from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles, closed_warcs
from tests.replay import REPO_ROOT, SETUP_HINT, ReplayToolMissing

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The data dir, the moment between the two crawls, the live story and its URL."""
    data = tmp_path_factory.mktemp("wacz") / "data"
    with DemoSites(slow_seconds=0.2) as sites:
        profiles = sites.write_profiles(data / "profiles")
        both = [profiles["aggregator"], profiles["translated"]]
        assert not archive_profiles(both, data, timeout=300).failures
        between = datetime.now(UTC)
        sites.advance(hours=1)
        assert not archive_profiles([profiles["aggregator"]], data, timeout=300).failures
        live = sites.story("aggregator", "live-agents")
        live_url = f"{sites.base_url('aggregator')}/live/live-agents"
        translated = sites.base_url("translated")
    return SimpleNamespace(data=data, between=between, live=live, live_url=live_url,
                           translated=translated)  # fmt: skip


def export(data: Path, out: Path, *args: str) -> Path:
    ran = CliRunner().invoke(
        app, ["export", "--format", "wacz", "--data", str(data), "--out", str(out), *args]
    )
    assert ran.exit_code == 0, ran.output
    assert str(out.resolve()) in ran.output.replace("\n", "")
    return out


def wacz_validate(wacz: Path) -> subprocess.CompletedProcess:
    tool = Path(os.environ.get("NEWSARC_WACZ") or REPO_ROOT / ".venv-wacz" / "bin") / "wacz"
    if not os.access(tool, os.X_OK):
        raise ReplayToolMissing(f"the `wacz` tool not found at {tool}: {SETUP_HINT}")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(tool), "validate", "-f", str(wacz)], capture_output=True, text=True, env=env
    )


def assert_valid(wacz: Path) -> None:
    checked = wacz_validate(wacz)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Validation succeeded" in checked.stdout


def members(wacz: Path) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(wacz) as zf:
        return {info.filename: info for info in zf.infolist()}


def read(wacz: Path, name: str) -> bytes:
    with zipfile.ZipFile(wacz) as zf:
        return zf.read(name)


def pages(wacz: Path) -> list[dict]:
    return [json.loads(line) for line in read(wacz, "pages/pages.jsonl").splitlines()]


def records(wacz: Path) -> list[tuple[str, object]]:
    """(archive member, warcio record with its body read) for every record of every WARC."""
    found = []
    with zipfile.ZipFile(wacz) as zf:
        for name in sorted(n for n in zf.namelist() if n.startswith("archive/")):
            with zf.open(name) as fh:
                for record in ArchiveIterator(fh):
                    record.content_stream().read()
                    found.append((name, record))
    return found


def header(record, name: str) -> str | None:
    return record.rec_headers.get_header(name)


def test_whole_archive_export_is_a_valid_wacz_of_the_warcs_as_they_are(demo, tmp_path):
    data = demo.data
    wacz = export(data, tmp_path / "all.wacz")

    assert_valid(wacz)
    inside = members(wacz)
    warcs = {f"archive/{p.name}": p for p in closed_warcs(data)}
    assert set(warcs) == {n for n in inside if n.startswith("archive/")}
    for name, source in warcs.items():
        assert inside[name].compress_type == zipfile.ZIP_STORED
        assert read(wacz, name) == source.read_bytes()
    package = json.loads(read(wacz, "datapackage.json"))
    assert package["wacz_version"] == "1.1.1" and package["profile"] == "data-package"
    for resource in package["resources"]:
        body = read(wacz, resource["path"])
        assert resource["bytes"] == len(body)
        assert resource["hash"] == "sha256:" + hashlib.sha256(body).hexdigest()
    digest = json.loads(read(wacz, "datapackage-digest.json"))
    assert digest["hash"] == "sha256:" + hashlib.sha256(read(wacz, "datapackage.json")).hexdigest()


def test_pages_carry_both_titles_and_the_text_of_both_languages(demo, tmp_path):
    live, live_url = demo.live, demo.live_url
    header, *entries = pages(export(demo.data, tmp_path / "all.wacz"))

    assert header["format"] == "json-pages-1.0"
    [page] = [p for p in entries if p["url"] == live_url]
    assert page["title"] == f"{live.title['en']} / {live.title['zh']}"
    assert (page["title_en"], page["title_zh"]) == (live.title["en"], live.title["zh"])
    assert "Pacific" in page["text"]
    assert "太平洋" in page["text"].split()  # a Chinese word on its own, for a player's index
    datetime.fromisoformat(page["ts"])  # RFC 3339


def test_index_points_at_each_record_inside_the_exported_warcs(demo, tmp_path):
    whole = export(demo.data, tmp_path / "a.wacz")
    recent = export(demo.data, tmp_path / "s.wacz", "--since", demo.between.isoformat())
    for wacz in (whole, recent):
        with zipfile.ZipFile(wacz) as zf:
            lines = zf.read("indexes/index.cdxj").decode().splitlines()
            assert lines == sorted(lines)
            for line in lines:
                entry = json.loads(line.split(" ", 2)[2])
                blob = zf.read(f"archive/{entry['filename']}")
                start, length = int(entry["offset"]), int(entry["length"])
                member = gzip.decompress(blob[start : start + length])
                assert f"WARC-Target-URI: {entry['url']}\r\n".encode() in member


def test_a_site_subset_holds_that_sites_records_byte_for_byte(demo, tmp_path):
    data = demo.data
    wacz = export(data, tmp_path / "translated.wacz", "--site", "demo-translated")

    assert_valid(wacz)
    names = [n for n in members(wacz) if n.startswith("archive/")]
    assert names and all(n.startswith("archive/demo-translated-") for n in names)
    for name in names:  # the site's files hold nothing of another site: they come whole
        assert read(wacz, name) == (data / "warcs" / name.removeprefix("archive/")).read_bytes()
    entries = pages(wacz)[1:]
    assert entries and all(p["url"].startswith(demo.translated + "/") for p in entries)


def test_a_since_subset_brings_revisit_originals_rendered_runs_requests_and_warcinfo(
    demo, tmp_path
):
    between, live_url = demo.between, demo.live_url
    wacz = export(demo.data, tmp_path / "recent.wacz", "--since", between.isoformat())

    assert_valid(wacz)
    found = records(wacz)
    by_id = {header(r, "WARC-Record-ID"): r for _, r in found}
    dates = [header(r, "WARC-Date") for _, r in found]
    assert min(dates) < between.isoformat() < max(dates)  # old originals came along
    responses = {
        (
            header(r, "WARC-Target-URI"),
            header(r, "WARC-Payload-Digest"),
        )
        for _, r in found
        if r.rec_type == "response"
    }
    revisits = [r for _, r in found if r.rec_type == "revisit"]
    assert revisits, "the second crawl should have revisits"
    for revisit in revisits:
        original = (
            header(revisit, "WARC-Refers-To-Target-URI"),
            header(revisit, "WARC-Payload-Digest"),
        )
        assert original in responses, f"no original for {revisit.rec_headers}"
    for _, record in found:  # every response and revisit has its request
        if record.rec_type in ("response", "revisit"):
            rid = header(record, "WARC-Record-ID")
            assert any(
                r.rec_type == "request" and header(r, "WARC-Concurrent-To") == rid
                for r in by_id.values()
            ), header(record, "WARC-Target-URI")
    urls = {header(r, "WARC-Target-URI") for _, r in found}
    for needed in (live_url, live_url.replace("/live/live-agents", "/static/live.js")):
        assert needed in urls
    assert live_url.replace("/live/", "/api/story/") + ".json" in urls  # its data request
    assert any(u and u.startswith("urn:") and u.endswith(live_url) for u in urls)
    first_in_each = {}
    for name, record in found:
        first_in_each.setdefault(name, record.rec_type)
    assert set(first_in_each.values()) == {"warcinfo"}
    assert any(p.get("url") == live_url for p in pages(wacz))


def test_a_subset_that_matches_nothing_says_so(demo, tmp_path):
    data = demo.data
    ran = CliRunner().invoke(
        app, ["export", "--format", "wacz", "--data", str(data), "--site", "no-such-site"]
    )
    assert ran.exit_code != 0
    assert "no-such-site" in ran.output
    assert not list((data / "export").glob("*.wacz*"))
