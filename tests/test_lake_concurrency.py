"""Readers never block the writer and never see half an ingest: an ingest of a new crawl round runs
in one process while four reader processes query the published lake in a loop (and, once, one of
them holds a transaction open for the whole ingest). Then time travel, snapshots and maintain."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.demo_sites import DemoSites
from flows.pipeline import archive_profiles, crawl_site
from tests.cli_process import invoke

pytestmark = pytest.mark.slow

EDITED = "open-weights-coding-leader"
TABLES = ("captures", "articles", "article_versions", "changes", "article_captures")
# One read, in one transaction: counts per table and versions without their change row.
READ = f"""
SELECT {", ".join(f"(SELECT count(*) FROM {t})" for t in TABLES)},
       (SELECT count(*) FROM article_versions v WHERE NOT EXISTS (
            SELECT 1 FROM changes c WHERE c.article_id = v.article_id
            AND c.to_version = v.version AND c.kind IN ('new', 'edited')))
"""
READER = """
import json, sys, time
from pathlib import Path
from archive.catalog.lake import open_lake_reader
data, out, stop, hold = Path(sys.argv[1]), open(sys.argv[2], "w"), Path(sys.argv[3]), sys.argv[4]
sql = sys.argv[5]
def read(con):
    started = time.monotonic()
    row = con.execute(sql).fetchone()
    return {"row": list(row), "seconds": time.monotonic() - started}
if hold == "hold":  # one transaction for the whole ingest: every read must see the same snapshot
    con = open_lake_reader(data)
    con.execute("BEGIN")
    while not stop.exists():
        out.write(json.dumps(read(con)) + "\\n"); out.flush()
        time.sleep(0.05)
    con.execute("COMMIT")
    out.write(json.dumps({**read(con), "after_commit": True}) + "\\n")
else:  # a session reopened every few reads (opening is part of reading), briefly idle between
    reads = 0
    con = None
    while not stop.exists():
        try:
            if con is None or reads % 5 == 0:
                if con is not None:
                    con.close()
                con = open_lake_reader(data)
            out.write(json.dumps(read(con)) + "\\n")
        except Exception as exc:
            out.write(json.dumps({"error": repr(exc)}) + "\\n")
            con = None
        reads += 1
        out.flush()
        time.sleep(0.05)
"""


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("lake") / "data"
    with DemoSites(slow_seconds=0.2) as sites:
        profiles = sites.write_profiles(data / "profiles")
        run = archive_profiles([profiles["aggregator"], profiles["translated"]], data, timeout=300)
        assert not run.failures, run.failures
        yield sites, profiles, data


def crawl_only(sites, profiles, data, title: str) -> None:
    """A new crawl round's WARCs (a story's title edited), not yet ingested."""
    sites.advance(hours=1)
    sites.edit_title("aggregator", EDITED, "en", title)
    for profile in profiles.values():
        crawl_site(profile, data, timeout=300)


def ingest_while_reading(data: Path, tmp_path: Path, holds: tuple[str, ...]) -> list[list[dict]]:
    """Run `newsarc ingest` in its own process while one reader process per *holds* entry reads
    in a loop; return each reader's reads."""
    stop = tmp_path / "stop"
    stop.unlink(missing_ok=True)
    outs = [tmp_path / f"reader-{i}.jsonl" for i in range(len(holds))]
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(data), str(o), str(stop), h, READ])
        for o, h in zip(outs, holds, strict=True)
    ]
    try:
        deadline = time.monotonic() + 30
        while not all(o.exists() and o.read_text().count("\n") >= 2 for o in outs):
            assert time.monotonic() < deadline, "readers did not start"
            time.sleep(0.05)
        started = time.monotonic()
        ingest = invoke("ingest", "--data", str(data))
        assert ingest.code == 0, ingest.stderr
        assert time.monotonic() - started < 60
        # let every reader see the new snapshot at least once
        counts = [o.read_text().count("\n") for o in outs]
        while not all(o.read_text().count("\n") > n + 1 for o, n in zip(outs, counts, strict=True)):
            assert time.monotonic() < deadline + 60, "readers stopped reading"
            time.sleep(0.05)
    finally:
        stop.touch()
        for reader in readers:
            assert reader.wait(timeout=30) == 0
    return [[json.loads(line) for line in o.read_text().splitlines()] for o in outs]


def assert_consistent(reads: list[dict]) -> None:
    assert reads and not [r for r in reads if "error" in r], [r for r in reads if "error" in r][:3]
    for read in reads:
        assert read["row"][-1] == 0, "a version without its change row"
    for before, after in zip(reads, reads[1:], strict=False):
        assert all(a >= b for a, b in zip(after["row"], before["row"], strict=True)), (
            "a count went down"
        )


def test_four_readers_during_an_ingest_see_only_whole_snapshots(demo, tmp_path):
    sites, profiles, data = demo
    crawl_only(sites, profiles, data, "An open model now leads")
    all_reads = ingest_while_reading(data, tmp_path, ("loop",) * 4)
    for reads in all_reads:
        assert_consistent(reads)
        assert reads[-1]["row"] != reads[0]["row"], "the reader never saw the ingest"


def test_a_reader_holding_a_transaction_open_neither_blocks_the_ingest_nor_sees_it(demo, tmp_path):
    sites, profiles, data = demo
    crawl_only(sites, profiles, data, "An open model leads again")
    held, *loops = ingest_while_reading(data, tmp_path, ("hold", "loop", "loop", "loop"))
    inside = [r for r in held if not r.get("after_commit")]
    assert len({tuple(r["row"]) for r in inside}) == 1, "a held transaction saw two snapshots"
    assert held[-1]["after_commit"] and held[-1]["row"] != inside[0]["row"]
    for reads in loops:
        assert_consistent(reads)


def title_as_of(data: Path, snapshot: int) -> str:
    ran = invoke(
        "query", f"SELECT title_en FROM articles WHERE canonical_url LIKE '%/{EDITED}'",
        "--data", str(data), "--as-of", str(snapshot), "--format", "json",
    )  # fmt: skip
    assert ran.code == 0, ran.stderr
    return json.loads(ran.stdout)[0]["title_en"]


def test_time_travel_reads_a_title_before_and_after_its_edit(demo):
    _, _, data = demo
    snapshots = json.loads(invoke("snapshots", "--data", str(data), "--format", "json").stdout)
    ingests = [s for s in snapshots if s["message"].startswith("ingest")]
    assert len(ingests) >= 3, snapshots  # the first crawl, then the two edits above
    first, edited, again = (s["snapshot_id"] for s in ingests[-3:])
    assert title_as_of(data, first) != "An open model now leads"
    assert title_as_of(data, edited) == "An open model now leads"
    assert title_as_of(data, again) == "An open model leads again"
    report = data / "between.html"
    between = invoke(
        "changes", "--data", str(data), "--between", str(first), str(edited), "--format", "json",
        "--html", str(report),
    )  # fmt: skip
    assert between.code == 0, between.stderr
    assert {
        (c["kind"], c["canonical_url"].rsplit("/", 1)[1]) for c in json.loads(between.stdout)
    } == {("edited", EDITED)}
    page = report.read_text(encoding="utf-8")  # the report shows the same one change
    assert page.count('<article class="change ') == 1 and "kind-edited" in page


def test_snapshots_say_what_each_ingest_added_and_maintain_expires_and_compacts(demo):
    _, _, data = demo
    listed = json.loads(invoke("snapshots", "--data", str(data), "--format", "json").stdout)
    ingest = [s for s in listed if s["message"].startswith("ingest")][-1]
    assert ingest["added"]["inserted"]["changes"] >= 1 and ingest["added"]["warc_files"] >= 1
    table = invoke("snapshots", "--data", str(data))
    assert table.code == 0 and "changes +" in table.stdout
    before = invoke(
        "query", "SELECT count(*) AS n FROM captures", "--data", str(data), "--format", "json"
    )
    done = invoke("maintain", "--data", str(data), "--expire-older-than", "0m", "--format", "json")
    assert done.code == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["snapshots_expired"] >= len(listed) - 1 and report["snapshots_kept"] >= 1
    assert report["data_files_after"] <= report["data_files_before"]
    after = invoke(
        "query", "SELECT count(*) AS n FROM captures", "--data", str(data), "--format", "json"
    )
    assert json.loads(after.stdout) == json.loads(before.stdout)
    again = json.loads(
        invoke(
            "maintain", "--data", str(data), "--expire-older-than", "0m", "--format", "json"
        ).stdout
    )
    assert again["snapshots_expired"] == 0
