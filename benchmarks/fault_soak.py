"""Fault-injection soak: crawl and ingest again and again while killing processes and damaging
files, then check that nothing was lost.

    uv run python -m benchmarks.fault_soak [--cycles 8] [--seed 1] [--bulk 150]

The demo sites (aggregator, translated, a bulk site) run on loopback in this process. Each cycle
edits a few stories and advances the sites' clock, then archives the same sites into two data
directories with the real `newsarc` command:

- **calm**: `newsarc crawl` once, undisturbed;
- **stormy**: the same, but attempts are SIGKILLed at random moments (the `newsarc crawl` flow
  process alone, as in an OOM kill, or only its crawl child), a killed crawl is sometimes
  followed by a `newsarc ingest` that is killed in turn, and the command is simply run again,
  as an operator or Prefect's retry would, until it succeeds. Between cycles an already ingested
  WARC may rot (one byte flipped) or lose its tail, and once the disk fills up (the stormy data
  directory lives on a tmpfs of its own; a ballast file leaves it a few KiB).

At the end `newsarc verify` must be clean for calm and name exactly the damaged files for
stormy, no process may outlive its parent, and captures, stories, versions and changes
(compared by content: no times, run ids or file names) must equal calm's. The figures (cycles,
kills, faults, what was lost) are printed and written to benchmarks/results/fault_soak.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from benchmarks.machine import machine
from flows.demo_sites.demo import DemoSites

NEWSARC = str(Path(sys.executable).with_name("newsarc"))
RESULTS = Path(__file__).parent / "results" / "fault_soak.json"
ATTEMPTS = 8  # a cycle's stormy crawl is retried at most this often


def descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, command line) of every live process below `pid`, from /proc."""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        commands[int(entry.name)] = cmdline
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append((child, commands[child]))
            todo.append(child)
    return found


def processes_under(session: int) -> list[tuple[int, str]]:
    """Live processes of a session (what a killed command left behind), from /proc."""
    left = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(stat[3]) == session and stat[0] != "Z":
            left.append((int(entry.name), cmdline.strip()))
    return left


class Soak:
    def __init__(self, work: Path, sites: DemoSites, rng: random.Random) -> None:
        self.work = work
        self.sites = sites
        self.rng = rng
        self.profiles = list(sites.write_profiles(work / "profiles").values())
        self.calm = work / "calm"
        self.stormy = work / "stormy"
        self.env = {
            **os.environ,
            # one Prefect database for both data directories, created once: the soak is about
            # the archive, not about Prefect's first start
            "PREFECT_HOME": str(work / "prefect-home"),
            "PREFECT_LOGGING_LEVEL": "WARNING",
        }
        self.events: list[dict] = []
        self.damaged: dict[str, str] = {}  # file name -> what was done to it
        self.orphans: list[str] = []
        self.counts: Counter[str] = Counter()

    # -- running newsarc -------------------------------------------------------------------
    def newsarc(self, *args: str, kill: str | None = None, after: float = 0.0) -> int | None:
        """Run `newsarc ARGS`; with `kill`, SIGKILL that part of it `after` seconds in. Returns
        the exit code (-9 when the command itself was killed; a command whose crawl child was
        killed may still succeed, as its flow retries the crawl)."""
        log = self.work / "logs" / f"{len(self.events):04d}-{args[0]}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("wb") as out:
            process = subprocess.Popen(
                [NEWSARC, *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        killed = self._kill_later(process, kill, after) if kill else None
        code = process.wait(timeout=900)
        self.events.append(
            {
                "command": args[0],
                "data": Path(args[-1]).name,
                "kill": kill,
                "after": round(after, 2),
                "killed": killed,
                "exit": code,
                "log": log.name,
            }
        )
        if killed:
            self.counts[f"killed {killed}"] += 1
            self._reap(process.pid)
        return code

    def _kill_later(self, process: subprocess.Popen, part: str, after: float) -> str | None:
        deadline = time.monotonic() + after
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return None
            time.sleep(0.05)
        if part == "crawl":  # only a Scrapy child, while it crawls: the flow must retry it
            victims = []
            while not victims and process.poll() is None:
                victims = [pid for pid, cmd in descendants(process.pid) if "crawlers.crawl" in cmd]
                time.sleep(0.05)
            if not victims:
                return None
            time.sleep(self.rng.uniform(0.0, 2.0))
            for pid in victims:
                _kill(pid)
            return "crawl child"
        if process.poll() is not None:
            return None
        _kill(process.pid)  # the command's own process, as the OOM killer would
        return f"{part} process"

    def _reap(self, session: int) -> None:
        """After a kill, whatever the command started must end by itself (lifelines)."""
        deadline = time.monotonic() + 30
        while (left := processes_under(session)) and time.monotonic() < deadline:
            time.sleep(0.5)
        if left:
            self.orphans.extend(cmd[:160] for _, cmd in left)
            for pid, _ in left:
                _kill(pid)

    def crawl(self, data: Path, **kill) -> int | None:
        self.sites.reset_faults()
        return self.newsarc(
            "crawl", *map(str, self.profiles), "--quiet", "--data", str(data), **kill
        )

    # -- one cycle ---------------------------------------------------------------------------
    def cycle(self, number: int, *, disk_full: bool) -> None:
        self.edit_sites(number)
        began = time.monotonic()
        if self.crawl(self.calm) != 0:
            raise SystemExit(f"cycle {number}: the undisturbed crawl failed; see {self.work}/logs")
        calm_seconds = time.monotonic() - began
        if disk_full:
            self.crawl_on_a_full_disk()
        for _attempt in range(ATTEMPTS):
            part = self.rng.choice(["flow", "crawl", None, None])
            # somewhere in the run: Prefect starting, crawling, ingesting, verifying
            after = self.rng.uniform(0.1, 0.95) * calm_seconds if part == "flow" else 0.0
            code = self.crawl(self.stormy, kill=part, after=after)
            if code == 0:
                break
            if code == -signal.SIGKILL and self.rng.random() < 0.5:
                # the operator ingests what the killed crawl left, and that is killed too
                self.newsarc(
                    "ingest",
                    "--data",
                    str(self.stormy),
                    kill="ingest",
                    after=self.rng.uniform(1.0, 6.0),
                )
        else:
            raise SystemExit(f"cycle {number}: no stormy crawl succeeded in {ATTEMPTS} attempts")
        self.counts["cycles"] += 1
        if self.rng.random() < 0.35:
            self.rot_a_file()
        if self.rng.random() < 0.2:
            self.truncate_a_file()

    def edit_sites(self, number: int) -> None:
        """A few edits a newsroom makes between two crawls, and an hour passes."""
        self.sites.advance(hours=1)
        if number == 0:
            return
        for _ in range(3):
            site = self.rng.choice(["aggregator", "translated"])
            slugs = sorted(
                story.slug for story in self.sites._newsroom(site).live(self.sites.clock.now())
            )
            slug = self.rng.choice(slugs)
            lang = self.rng.choice(["en", "zh"])
            op = self.rng.choice(
                ["edit_title", "edit_paragraph", "append_correction", "touch_updated"]
            )
            text = f"cycle {number} {op} {lang}" if lang == "en" else f"第{number}轮修改{op}"
            if op == "edit_title":
                self.sites.edit_title(site, slug, lang, text)
            elif op == "edit_paragraph":
                self.sites.edit_paragraph(site, slug, 0, lang, text)
            elif op == "append_correction":
                self.sites.append_correction(site, slug, f"Correction {number}.", f"更正{number}。")
            else:
                self.sites.touch_updated(site, slug)
            self.counts["edits"] += 1

    # -- file faults -------------------------------------------------------------------------
    def _ingested_warc(self) -> Path | None:
        undamaged = [
            p
            for p in sorted((self.stormy / "warcs").glob("*.warc.gz"))
            if p.name not in self.damaged
        ]
        return self.rng.choice(undamaged) if undamaged else None

    def rot_a_file(self) -> None:
        warc = self._ingested_warc()
        if warc is None:
            return
        data = bytearray(warc.read_bytes())
        at = self.rng.randrange(len(data) // 4, len(data))
        data[at] ^= 1 << self.rng.randrange(8)
        warc.write_bytes(bytes(data))
        self.damaged[warc.name] = f"one bit flipped at byte {at:,}"
        self.counts["bit rot"] += 1

    def truncate_a_file(self) -> None:
        warc = self._ingested_warc()
        if warc is None:
            return
        size = warc.stat().st_size
        keep = self.rng.randrange(size // 2, size - 1)
        with warc.open("r+b") as handle:
            handle.truncate(keep)
        self.damaged[warc.name] = f"truncated from {size:,} to {keep:,} bytes"
        self.counts["truncated"] += 1

    def crawl_on_a_full_disk(self) -> None:
        """Fill the stormy file system to a few KiB, crawl (it must fail cleanly), free it."""
        ballast = self.stormy / "ballast"
        free = shutil.disk_usage(self.stormy).free
        with ballast.open("wb") as handle:
            left = max(0, free - 64 * 1024)
            chunk = b"\0" * (1 << 20)
            while left > 0:
                try:
                    left -= handle.write(chunk[: min(left, len(chunk))])
                except OSError:
                    break
        code = self.crawl(self.stormy)
        ballast.unlink()
        self.counts["full disk"] += 1
        self.events[-1]["fault"] = "disk full"
        if code == 0:
            self.counts["full disk: crawl still succeeded"] += 1

    # -- the end -----------------------------------------------------------------------------
    def verify(self, data: Path) -> tuple[int, str]:
        log = self.work / "logs" / f"verify-{data.name}.log"
        done = subprocess.run(
            [NEWSARC, "verify", "--data", str(data)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        log.write_text(done.stdout + done.stderr, encoding="utf-8")
        return done.returncode, done.stdout + done.stderr


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


STORY_KEY = "(SELECT list(url ORDER BY url) FROM article_urls u WHERE u.article_id = a.article_id)"


def archive_content(data: Path) -> dict[str, Counter]:
    """What an archive holds, by content: no times, run ids or file names. A story is known by
    all its URLs (which of two identical pages is canonical depends on which came first).
    A page fetched again after a kill is an extra capture (payload digests are left out: the
    aggregator's counters change with every request)."""
    con = duckdb.connect(str(data / "archive.duckdb"), read_only=True)
    try:
        queries = {
            "captures": "SELECT url, record_type, status FROM captures"
            " WHERE record_type IN ('response', 'revisit', 'metadata', 'resource')",
            "stories": f"SELECT {STORY_KEY}, title_en, title_zh, status, version_count"
            " FROM articles a",
            "versions": f"SELECT {STORY_KEY}, v.version, v.content_hash FROM article_versions v"
            " JOIN articles a USING (article_id)",
            "changes": f"SELECT {STORY_KEY}, c.kind, c.from_version, c.to_version, c.fields"
            " FROM changes c JOIN articles a USING (article_id)",
        }
        out = {
            name: Counter(map(repr, con.execute(sql).fetchall())) for name, sql in queries.items()
        }
        return out
    finally:
        con.close()


def compare(calm: dict[str, Counter], stormy: dict[str, Counter]) -> dict:
    out = {}
    for table in calm:
        lost, extra = calm[table] - stormy[table], stormy[table] - calm[table]
        out[table] = {
            "calm": sum(calm[table].values()),
            "stormy": sum(stormy[table].values()),
            "lost": sum(lost.values()),
            "extra": sum(extra.values()),
            "lost_examples": sorted(lost)[:5],
            "extra_examples": sorted(extra)[:5],
        }
    return out


def mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bulk", type=int, default=150, help="stories on the bulk site")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="newsarc-soak-"))
    mounted = mount_tmpfs(work / "stormy", "2g")
    started = time.monotonic()
    print(f"soak in {work} ({'stormy on its own tmpfs' if mounted else 'no tmpfs: no full disk'})")
    try:
        with DemoSites(bulk_stories=args.bulk, slow_seconds=1.0) as sites:
            soak = Soak(work, sites, rng)
            full_disk_cycle = rng.randrange(1, args.cycles) if mounted and args.cycles > 1 else -1
            for number in range(args.cycles):
                soak.cycle(number, disk_full=number == full_disk_cycle)
                print(
                    f"cycle {number + 1}/{args.cycles} done, {time.monotonic() - started:.0f} s: "
                    f"{dict(soak.counts)}",
                    flush=True,
                )
            report = finish(soak, args, time.monotonic() - started)
    finally:
        if mounted and not args.keep:
            subprocess.run(["umount", "-l", str(work / "stormy")], check=False)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        elif mounted:
            print(f"kept {work}; its stormy directory is a tmpfs: umount {work / 'stormy'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    if not report["nothing_lost"]:
        raise SystemExit(1)


def finish(soak: Soak, args, seconds: float) -> dict:
    calm_code, calm_out = soak.verify(soak.calm)
    stormy_code, stormy_out = soak.verify(soak.stormy)
    named = {name: name in stormy_out for name in soak.damaged}
    calm, stormy = archive_content(soak.calm), archive_content(soak.stormy)
    content = compare(calm, stormy)
    # a page fetched again (a crawl whose end could not be recorded is run again) adds captures;
    # anything missing, or any other difference, is a loss
    lost = sum(
        t["lost"] + (t["extra"] if table != "captures" else 0) for table, t in content.items()
    )
    report = {
        "command": "python -m benchmarks.fault_soak " + " ".join(sys.argv[1:]),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine("duckdb", "prefect", "scrapy", "warcio"),
        "cycles": args.cycles,
        "seed": args.seed,
        "wall_seconds": round(seconds),
        "counts": dict(soak.counts),
        "commands_run": len(soak.events),
        "damaged_files": soak.damaged,
        "verify_calm": {"exit": calm_code, "clean": calm_code == 0},
        "verify_stormy": {
            "exit": stormy_code,
            "damage_named": named,
            "clean_when_undamaged": stormy_code == 0 if not soak.damaged else None,
        },
        "orphans": soak.orphans,
        "content": content,
        "events": soak.events,
    }
    report["nothing_lost"] = (
        lost == 0
        and calm_code == 0
        and all(named.values())
        and not soak.orphans
        and (stormy_code == 0) == (not soak.damaged)
    )
    print(
        json.dumps(
            {
                k: report[k]
                for k in (
                    "counts",
                    "damaged_files",
                    "verify_calm",
                    "verify_stormy",
                    "orphans",
                    "nothing_lost",
                )
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    for table, row in content.items():
        print(
            f"{table:9} calm {row['calm']:6}  stormy {row['stormy']:6}  lost {row['lost']}  "
            f"extra {row['extra']}"
        )
    return report


if __name__ == "__main__":
    main()
