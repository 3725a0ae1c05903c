"""The catalog is never left empty or half-written: a full disk or a kill while it is created,
written or rebuilt leaves either the previous catalog or none, and a damaged one says to reindex.

The full disk is real: a 24 MiB tmpfs mounted for the test (the suite runs as root)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from archive.catalog.connection import open_catalog
from archive.errors import CatalogUnreadable, NewsarcError
from flows.pipeline import ingest_data_dir, reindex
from tests.catalog_queries import query
from tests.test_damaged_warcs import crawl

TABLES = {
    "captures": "SELECT * FROM captures ORDER BY record_id",
    "articles": "SELECT article_id, canonical_url, version_count FROM articles ORDER BY 1",
}


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(disk: Path, leave: int) -> Path:
    """Take all free space on *disk* but *leave* bytes."""
    stat = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as out:
        out.truncate(0)
        chunk = b"\0" * (1 << 20)
        wanted = max(0, stat.f_bavail * stat.f_frsize - leave)
        while wanted > 0:
            try:
                wanted -= out.write(chunk[: min(len(chunk), wanted)])
            except OSError:
                break
    return filler


def snapshot(data: Path) -> dict[str, list]:
    return {name: query(data, sql) for name, sql in TABLES.items()}


def catalog_files(data: Path) -> list[str]:
    return sorted(p.name for p in data.iterdir() if "duckdb" in p.name)


def test_a_full_disk_while_the_catalog_is_created_leaves_no_catalog_at_all(small_disk: Path):
    data = small_disk / "data"
    crawl(data, 0, ["alpha", "beta"])
    for leave in (0, 4096, 300_000):
        filler = fill(small_disk, leave)
        with pytest.raises((NewsarcError, OSError), match="No space left on device"):
            ingest_data_dir(data)  # the catalog, or the CDXJ index beside the WARCs
        assert catalog_files(data) == [], f"{leave} bytes free"
        filler.unlink()
    ingest_data_dir(data)
    assert [url.rsplit("/", 1)[1] for _, url, _ in snapshot(data)["articles"]] == ["alpha", "beta"]


def test_a_full_disk_during_ingest_or_reindex_leaves_a_catalog_that_opens(
    small_disk: Path, tmp_path: Path
):
    data = small_disk / "data"
    crawl(data, 0, ["alpha", "beta"])
    ingest_data_dir(data)
    crawl(data, 1, [f"story-{i}" for i in range(40)])
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "warcs").symlink_to(data / "warcs")
    ingest_data_dir(reference)
    expected = snapshot(reference)

    for leave in (0, 64_000, 1_000_000):
        filler = fill(small_disk, leave)
        try:
            ingest_data_dir(data)
        except Exception:  # noqa: BLE001 - any failure will do; what it leaves is the point
            pass
        try:
            reindex(data)
        except Exception:  # noqa: BLE001
            pass
        filler.unlink()
        open_catalog(data / "archive.duckdb").close()  # opens, whatever the disk did
        assert "archive.duckdb.reindex" not in catalog_files(data)
    ingest_data_dir(data)
    assert snapshot(data) == expected


def test_an_empty_catalog_is_replaced_and_a_cut_one_asks_for_a_reindex(tmp_path: Path):
    data = tmp_path / "data"
    crawl(data, 0, ["alpha"])
    ingest_data_dir(data)
    expected = snapshot(data)
    catalog = data / "archive.duckdb"
    whole = catalog.read_bytes()

    catalog.write_bytes(b"")  # what a full disk left before catalogs were created atomically
    ingest_data_dir(data)
    assert snapshot(data) == expected

    catalog.write_bytes(whole[:4096])  # cut short
    with pytest.raises(CatalogUnreadable, match="newsarc reindex"):
        open_catalog(catalog)
    with pytest.raises(CatalogUnreadable, match="newsarc reindex"):
        open_catalog(catalog, read_only=True)
    reindex(data)
    assert snapshot(data) == expected
