"""Saves pages into the golden fixture sets (tests/fixtures/golden), then their expectations.

    uv run python -m tests.golden_pages --corpus ../shared/corpus   # the real-world corpus
    uv run python -m tests.golden_pages --demo                      # the demo sites' pages

The corpus pages are copied byte for byte, with the URLs and capture time the extraction
benchmarks use (benchmarks/extract_throughput.py). The demo pages are fetched from the demo
sites started on loopback on fixed ports, so that a re-save writes the same URLs and, the
sites' clock being frozen, the same bytes. Each set's README and LICENSE are written by hand.
Run this only to add or re-take pages; after an extraction change use `python -m tests.golden
--update` instead.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from flows.demo_sites import DemoSites, translated_pages
from flows.demo_sites.zoo import HOSTS as ZOO_HOSTS
from flows.demo_sites.zoo import ZooSites
from tests.golden import GOLDEN, INPUTS, golden_pages, update

CORPUS_CAPTURED_AT = "2021-01-01T00:00:00Z"  # benchmarks/extract_throughput.py's CAPTURED
ENGLISH, CHINESE, DEMO = "article-extraction-benchmark", "zh-news-gne", "demo"
# The benchmarks' stand-in URLs for pages whose corpus gives none.
FALLBACK_URL = {ENGLISH: "http://example.com/", CHINESE: "http://news.example.cn/a"}
# Fixed ports (not the CLI demo's 8701/8702), so the saved URLs stay the same across re-saves.
DEMO_PORTS = {"aggregator": 8711, "translated": 8712}
ZOO_PORT = 8721  # every zoo site has a loopback address of its own
# Headers extraction reads (decode.py): the charset, and how the body is encoded.
KEPT_HEADERS = ("content-type", "content-encoding")


def save_corpus(corpus: Path) -> None:
    """Copy both corpus sets, each with its LICENSE."""
    english = corpus / ENGLISH
    truth = json.loads((english / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {
        page_id: (english / "html" / f"{page_id}.html.gz", item.get("url") or FALLBACK_URL[ENGLISH])
        for page_id, item in truth.items()
    }
    _copy_set(ENGLISH, pages, english / "LICENSE")
    chinese = corpus / CHINESE
    pages = {
        path.name.removesuffix(".html.gz"): (path, FALLBACK_URL[CHINESE])
        for path in chinese.glob("*.html.gz")
    }
    _copy_set(CHINESE, pages, chinese / "LICENSE")


def _copy_set(set_name: str, pages: dict[str, tuple[Path, str]], licence: Path) -> None:
    folder = GOLDEN / set_name
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(licence, folder / "LICENSE")
    inputs = {}
    for name, (source, url) in pages.items():
        shutil.copyfile(source, folder / f"{name}.html.gz")
        inputs[name] = {"url": url, "captured_at": CORPUS_CAPTURED_AT, "headers": {}, "rules": {}}
    _write_inputs(set_name, inputs)


def save_demo() -> None:
    """Every story page of the aggregator, translated and zoo sites as first published, plus
    the aggregator's AMP page and live-blog shell and the translated site's mobile and print
    pages of one story: each layout the demo sites serve, in English and Chinese."""
    folder = GOLDEN / DEMO
    folder.mkdir(parents=True, exist_ok=True)
    inputs = {}
    with DemoSites(ports=DEMO_PORTS) as sites:
        for name, url in _demo_urls(sites):
            inputs[name] = _save_page(folder / f"{name}.html.gz", url, sites.clock.now())
    with ZooSites(ports=dict.fromkeys(ZOO_HOSTS, ZOO_PORT)) as zoo:
        for name, url in _zoo_urls(zoo):
            inputs[name] = _save_page(folder / f"{name}.html.gz", url, zoo.clock.now())
    _write_inputs(DEMO, inputs)


def _demo_urls(sites: DemoSites) -> Iterator[tuple[str, str]]:
    now = sites.clock.now()
    aggregator = sites.base_url("aggregator")
    for story in sites.apps["aggregator"].newsroom.live(now):
        path = f"/live/{story.slug}" if story.kind == "live" else f"/story/{story.slug}"
        yield f"aggregator-{story.slug}", aggregator + path
    yield "aggregator-agi-era-governance-amp", aggregator + "/amp/story/agi-era-governance"
    translated = sites.base_url("translated")
    for story in sites.apps["translated"].newsroom.live(now):
        paths = translated_pages.story_paths(story)
        for path in paths:
            tag = f"-{path.split('/')[1]}" if len(paths) > 1 else ""
            yield f"translated-{story.slug}{tag}", translated + path
    for variant in ("m", "print"):
        yield (
            f"translated-frontier-lab-export-rules-{variant}",
            f"{translated}/{variant}/articles/frontier-lab-export-rules",
        )


def _zoo_urls(zoo: ZooSites) -> Iterator[tuple[str, str]]:
    for site in zoo.apps:
        for story in zoo.stories(site):
            urls = zoo.page_urls(site, story.slug)
            for url in urls:
                segments = urlsplit(url).path.strip("/").split("/")
                tag = segments[0] if len(segments) > 1 else "page"
                yield f"{site}-{story.slug}" + (f"-{tag}" if len(urls) > 1 else ""), url


def _save_page(path: Path, url: str, captured_at) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        body = response.read()
        headers = {k.lower(): v for k, v in response.headers.items() if k.lower() in KEPT_HEADERS}
    path.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
    stamp = captured_at.isoformat().replace("+00:00", "Z")
    return {"url": url, "captured_at": stamp, "headers": headers, "rules": {}}


def _write_inputs(set_name: str, inputs: dict[str, dict]) -> None:
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    (GOLDEN / set_name / INPUTS).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="the shared corpus folder to copy from")
    parser.add_argument("--demo", action="store_true", help="fetch the demo sites' pages")
    args = parser.parse_args(argv)
    if not (args.corpus or args.demo):
        parser.error("say what to save: --corpus DIR and/or --demo")
    saved = set()
    if args.corpus:
        save_corpus(args.corpus)
        saved |= {ENGLISH, CHINESE}
    if args.demo:
        save_demo()
        saved.add(DEMO)
    pages = [page for page in golden_pages() if page.set_name in saved]
    changed = update(pages)
    print(f"{len(pages)} pages in {sorted(saved)}; {len(changed)} expectations written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
