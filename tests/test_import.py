"""`newsarc import`: other crawlers' WARCs and WACZs, made here by the real tools (GNU wget,
`wacz create`) from the demo sites on loopback, taken into an archive like a crawl's own.

What must hold: each file is checked and a damaged one is named and skipped while the rest go
in; plain, per-record and whole-file gzip WARCs and a WACZ all become per-record gzip copies
with every record's bytes unchanged; the captures land with the site they were assigned, one
foreign crawl is one look (so a story's English and Chinese pages make one version, not an
edit); importing again changes nothing; and `reindex` rebuilds the same catalog, because the
assignment lives in WARC, not only in DuckDB.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.warc.foreign import normalise_warc
from archive.warc.recovery import iter_members, verify_warc
from flows.demo_sites import DemoSites
from flows.importer import import_paths
from flows.pipeline import reindex
from tests.catalog_queries import query
from tests.cli_process import newsarc

ROOT = Path(__file__).resolve().parent.parent
WACZ = Path(os.environ.get("NEWSARC_WACZ", ROOT / ".venv-wacz" / "bin")) / "wacz"


def wget_warc(base_url: str, warc: Path, *, compress: bool = True) -> Path:
    """GNU wget's own WARC of a demo site, two links deep, loopback only, bounded in size and
    time; the /fault/ pages (huge, slow, a gzip bomb) and the browser pages are left out."""
    stem = warc.name.removesuffix(".gz").removesuffix(".warc")
    work = warc.parent / f".wget-{stem}"
    work.mkdir(parents=True)
    command = [
        "wget", "--no-proxy", "--recursive", "--level", "2", "--no-directories",
        "--delete-after", "--no-verbose", "--tries", "1", "--timeout", "10", "--quota", "20m",
        "--reject-regex", "/fault/|/live/", f"--warc-file={warc.parent / stem}",
        *([] if compress else ["--no-warc-compression"]), base_url + "/",
    ]  # fmt: skip
    subprocess.run(command, cwd=work, check=True, capture_output=True, timeout=60)
    shutil.rmtree(work)
    return warc


@pytest.fixture(scope="module")
def foreign(tmp_path_factory) -> dict[str, Path]:
    """Four foreign crawls of the demo sites as they come from other tools, a truncated copy of
    one, and the demo profiles."""
    out = tmp_path_factory.mktemp("foreign")
    with DemoSites() as sites:
        aggregator, translated = sites.base_url("aggregator"), sites.base_url("translated")
        made = {
            "per-record": wget_warc(aggregator, out / "aggregator" / "aggregator.warc.gz"),
            "plain": wget_warc(translated, out / "translated.warc", compress=False),
            "whole-file": wget_warc(translated, out / "translated-again.warc", compress=False),
            "for-wacz": wget_warc(aggregator, out / "aggregator-again.warc.gz"),
        }
        profiles = sites.write_profiles(out / "profiles")
    whole = made["whole-file"].with_suffix(".warc.gz")
    whole.write_bytes(gzip.compress(made["whole-file"].read_bytes()))  # one gzip member
    made["whole-file"].unlink()
    made["whole-file"] = whole
    made["wacz"] = out / "aggregator.wacz"
    subprocess.run(
        [str(WACZ), "create", "-o", str(made["wacz"]), str(made["for-wacz"])],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    cut = out / "aggregator" / "aggregator-cut.warc.gz"
    with made["per-record"].open("rb") as fh:  # cut inside a record, as a failed copy would
        members = list(iter_members(fh, made["per-record"].stat().st_size))
    middle = members[len(members) // 2]
    cut.write_bytes(made["per-record"].read_bytes()[: middle.offset + middle.length // 2])
    return {**made, "cut": cut, "aggregator-dir": cut.parent, **profiles}


@pytest.fixture(scope="module")
def imported(foreign, tmp_path_factory):
    """An archive holding every foreign crawl: the aggregator's directory (its WARC and the cut
    copy) through the CLI with a profile file, the rest by site name."""
    data = tmp_path_factory.mktemp("archive")
    first = newsarc(
        "import", str(foreign["aggregator-dir"]), "--data", str(data),
        "--profile", str(foreign["aggregator"]), "--format", "json",
    )  # fmt: skip
    translated = import_paths(
        data, [foreign["plain"], foreign["whole-file"]], site="demo-translated"
    )
    wacz = import_paths(data, [foreign["wacz"]], site="demo-aggregator")
    return data, first, translated, wacz


def catalog(data: Path) -> dict[str, list[tuple]]:
    """What the catalog says about the archive, for comparing two states of it."""
    tables = {
        "captures": "SELECT * FROM captures ORDER BY record_id",
        "warc_files": "SELECT warc_file, size, sha256, record_count FROM warc_files ORDER BY 1",
        "articles": "SELECT * FROM articles ORDER BY article_id",
        "article_versions": "SELECT * FROM article_versions ORDER BY ALL",
        "changes": "SELECT * FROM changes ORDER BY ALL",
    }
    return {name: query(data, sql) for name, sql in tables.items()}


def test_a_truncated_file_is_named_and_skipped_while_the_others_go_in(imported, foreign):
    data, first, translated, wacz = imported
    assert first.code == 1, first.stderr  # something was skipped
    rows = {Path(r["source"]).name: r for r in json.loads(first.stdout)}
    assert rows["aggregator.warc.gz"]["status"] == "imported"
    cut = rows["aggregator-cut.warc.gz"]
    assert cut["status"] == "skipped" and "truncated" in cut["reason"], cut
    assert "1 imported, 0 already imported, 1 skipped" in first.stderr
    assert [f.status for f in translated.files + wacz.files] == ["imported"] * 3
    assert not list((data / "warcs").glob("*cut*")) and not list((data / "warcs").glob(".*"))


def test_every_form_becomes_per_record_gzip_with_the_records_bytes_unchanged(foreign, tmp_path):
    for form in ("per-record", "plain", "whole-file"):
        copy = normalise_warc(foreign[form], tmp_path / f"{form}.warc.gz")
        assert verify_warc(copy.target).ok, form
        assert gzip.decompress(copy.target.read_bytes()) == _plain(foreign[form]), form
        assert copy.recompressed == (form != "per-record"), form
    assert foreign["per-record"].read_bytes() == (tmp_path / "per-record.warc.gz").read_bytes()


def _plain(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw


def test_stories_land_with_their_site_each_with_one_version(imported):
    data = imported[0]
    articles = query(data, "SELECT site, canonical_url, version_count FROM articles")
    by_site = {}
    for site, url, versions in articles:
        by_site.setdefault(site, []).append(url)
        assert versions == 1, (site, url)
        host = "127.0.0.1" if site == "demo-aggregator" else "127.0.0.2"
        assert url.startswith(f"http://{host}:"), (site, url)
    assert sorted(by_site) == ["demo-aggregator", "demo-translated"]
    assert min(len(urls) for urls in by_site.values()) >= 5
    assert query(data, "SELECT DISTINCT kind FROM changes") == [("new",)]
    # a story published as separate English and Chinese pages is one story with both titles
    [(title_en, title_zh)] = query(
        data, "SELECT title_en, title_zh FROM articles WHERE canonical_url LIKE '%/en/homework%'"
    )
    assert title_en and title_zh
    # one look per foreign crawl: two wget runs of each site (one of them inside the WACZ)
    runs = query(
        data,
        "SELECT profile, count(DISTINCT run_id) FROM captures "
        "WHERE warc_file NOT LIKE '%.meta.warc.gz' GROUP BY 1 ORDER BY 1",
    )
    assert runs == [("demo-aggregator", 2), ("demo-translated", 2)]


def test_the_assignment_is_kept_in_warc_so_reindex_rebuilds_the_same_catalog(imported):
    data = imported[0]
    before = catalog(data)
    metas = sorted((data / "warcs").glob("import-*.meta.warc.gz"))
    assert len(metas) == 4
    with metas[0].open("rb") as fh:
        kinds = [r.rec_type for r in ArchiveIterator(fh)]
    assert kinds == ["warcinfo", "metadata"]
    reindex(data)
    assert catalog(data) == before


def test_importing_the_same_files_again_changes_nothing(imported, foreign):
    data = imported[0]
    before, files = catalog(data), sorted(p.name for p in (data / "warcs").iterdir())
    again = import_paths(
        data, [foreign["aggregator-dir"], foreign["plain"], foreign["whole-file"], foreign["wacz"]]
    )
    statuses = {Path(f.source.split("!")[0]).name: f.status for f in again.files}
    assert statuses == {
        "aggregator.warc.gz": "already imported",
        "aggregator-cut.warc.gz": "skipped",
        "translated.warc": "already imported",
        "translated-again.warc.gz": "already imported",
        "aggregator.wacz": "already imported",
    }
    assert again.ingest is None
    assert sorted(p.name for p in (data / "warcs").iterdir()) == files
    assert catalog(data) == before
