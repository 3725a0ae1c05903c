"""Extraction quality on real pages: Chinese robustness and English article-body F1.

    uv run python benchmarks/extraction_quality.py [--corpus ../shared/corpus]

(a) zh-news-gne: how many of the 62 Chinese pages decode cleanly and yield a title, a Chinese
    body and a date. (b) article-extraction-benchmark: token-level precision/recall/F1 of the
    article body (macro-averaged over pages) for newsarc's `extract` and for bare
    `trafilatura.extract`, on the same pages in the same run. newsarc's body is every
    paragraph it kept, whatever its language (body_en + body_zh + body_other): a few of the
    181 pages are Russian or Japanese.

Printed, and written to benchmarks/results/extraction_quality.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import trafilatura

from archive.stories.extract import extract

MOJIBAKE = ("Ã", "锟斤拷", "\ufffd", "â€")
CAPTURED = datetime(2021, 1, 1, tzinfo=UTC)
RESULTS = Path(__file__).resolve().parent / "results" / "extraction_quality.json"
_TOKEN = re.compile(r"[\u4e00-\u9fff]|[^\W_]+", re.UNICODE)


def tokens(text: str) -> Counter:
    """Words split on whitespace and punctuation (each Han character is a token), lowercased."""
    return Counter(t.lower() for t in _TOKEN.findall(text or ""))


def prf(predicted: str, truth: str) -> tuple[float, float, float]:
    got, want = tokens(predicted), tokens(truth)
    overlap = sum((got & want).values())
    if not got and not want:
        return 1.0, 1.0, 1.0
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def chinese_robustness(folder: Path) -> dict:
    pages = sorted(folder.glob("*.html.gz"))
    counts = Counter()
    for page in pages:
        raw = gzip.open(page).read()
        story = extract("http://news.example.cn/a", raw, CAPTURED)
        text = " ".join([story.title_zh or story.title_en or "", *story.body_zh])
        counts["decode"] += not any(bad in text for bad in MOJIBAKE)
        # U+FFFD already in the served bytes (EF BF BD) is the publisher's, not a decoding fault.
        counts["source_fffd"] += b"\xef\xbf\xbd" in raw
        counts["title"] += bool(story.title_zh or story.title_en)
        counts["body"] += bool(story.body_zh)
        counts["date"] += story.published_at is not None
    print(f"zh-news-gne: {len(pages)} pages")
    for key in ("decode", "title", "body", "date"):
        print(f"  {key:7} {counts[key]:3}/{len(pages)}")
    print(f"  ({counts['source_fffd']} pages carry U+FFFD in their own bytes)")
    return {"pages": len(pages), **{key: counts[key] for key in sorted(counts)}}


def body_f1(folder: Path) -> dict:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    scores: dict[str, list[tuple[float, float, float]]] = {"newsarc": [], "trafilatura": []}
    for page_id, item in sorted(truth.items()):
        raw = gzip.open(folder / "html" / f"{page_id}.html.gz").read()
        url = item.get("url") or "http://example.com/"
        story = extract(url, raw, CAPTURED)
        ours = "\n".join([*story.body_en, *story.body_zh, *story.body_other])
        html = raw.decode("utf-8", errors="replace")
        bare = trafilatura.extract(html, url=url) or ""
        scores["newsarc"].append(prf(ours, item["articleBody"]))
        scores["trafilatura"].append(prf(bare, item["articleBody"]))
    print(f"article-extraction-benchmark: {len(truth)} pages (macro-averaged)")
    result: dict = {"pages": len(truth)}
    for name, rows in scores.items():
        p, r, f = (sum(col) / len(rows) for col in zip(*rows, strict=True))
        print(f"  {name:12} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
        result[name] = {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    args = parser.parse_args()
    result = {
        "zh_news_gne": chinese_robustness(args.corpus / "zh-news-gne"),
        "article_extraction_benchmark": body_f1(args.corpus / "article-extraction-benchmark"),
        "trafilatura_version": trafilatura.__version__,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
