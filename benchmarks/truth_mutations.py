"""Metamorphic benchmark on real pages: furniture must never make a version, real edits must.

    uv run python -m benchmarks.truth_mutations [--corpus ../shared/corpus] [--sample N]
                                                [--kinds KIND,...] [--jobs 2] [--no-anchor]

Every page of the corpus (181 English pages of article-extraction-benchmark, 62 Chinese pages
of zh-news-gne) is captured twice, two hours apart, per kind (benchmarks/mutations.py):

- furniture kinds: A and B differ only in one piece of page furniture that real sites change
  between two crawls (relative times, counters, promos, related lists...). A *false change* is
  a pair whose content hash differs: newsarc would record a version nobody edited.
- edit kinds: B carries one real edit (a sentence, a paragraph, the headline, a TL;DR bullet,
  a correction) and both carry other furniture, different in A and B. An edit is *detected*
  when the field it belongs to moved (body_en/body_zh, title_*, tldr_* in the page's
  language); "wrong field" counts edits seen only in other fields.

newsarc: `extract` on both captures (same URL, their own capture times), then
`page_fingerprint(record)`. The anchor, on the same pairs in the same run: bare
`trafilatura.extract(html, url=url)`; a change is "the two texts differ" (for edits also "the
edit's own text is in the diff", since a text diff has no fields). Targets: a false-change
rate of 0 on every furniture kind, a detection rate of at least 99% on every edit kind.
Pages a kind cannot apply to are skipped and counted (edits need main-text paragraphs: English
ones found in the ground truth, Chinese ones by Han-character length; the English corpus's
Portuguese, Italian, German, Indonesian, Russian, Korean and Japanese pages get no edits).
Printed, and written to benchmarks/results/truth_mutations.json with the failing pages per
kind (and what entered or left which field) for diagnosis. `--sample N` takes N English and
N/3 Chinese pages spread evenly over the corpus (deterministic). About 4 minutes with
`--jobs 2` on the 2-core benchmark machine.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

import trafilatura

from archive.stories.content import CONTENT_FIELDS, normalise_value, page_fingerprint
from archive.stories.extract import extract
from benchmarks.extract_throughput import load_corpus
from benchmarks.machine import machine
from benchmarks.mutations import (
    EDITS,
    FURNITURE,
    KINDS,
    Page,
    Pair,
    Skip,
    decode_page,
    in_language,
    make_pair,
    normalise,
    page_title,
)

RESULTS = Path(__file__).resolve().parent / "results" / "truth_mutations.json"
TARGET_FALSE_CHANGE = 0.0
TARGET_DETECTION = 0.99
ZH_HOST = "https://news.example.cn"


def load_pages(corpus: Path) -> list[Page]:
    """English pages (with their ground-truth body), then Chinese ones, each knowing the
    other pages' headlines in its language (for related and trending lists)."""
    truth_file = corpus / "article-extraction-benchmark" / "ground-truth.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    loaded = []
    for page in load_corpus(corpus):
        english = page.corpus == "article-extraction-benchmark"
        text = decode_page(page.raw)
        url = page.url if english and page.url else f"{ZH_HOST}/{page.page_id}.html"
        body = truth[page.page_id]["articleBody"] if english else None
        loaded.append(Page(page.page_id, "en" if english else "zh", url, text, body))
    titles = {page.page_id: page_title(page.html) for page in loaded}
    return [replace(page, other_titles=headlines_for(page, loaded, titles)) for page in loaded]


def headlines_for(page: Page, pages: list[Page], titles: dict[str, str]) -> tuple[str, ...]:
    """The other pages' headlines in this page's language (the English corpus holds a few
    Russian, Korean and Portuguese pages, whose titles an English site would not list)."""
    return tuple(
        titles[other.page_id]
        for other in pages
        if other is not page
        and other.lang == page.lang
        and len(titles[other.page_id]) >= 6
        and in_language(titles[other.page_id], page.lang)
    )


def sample_pages(pages: list[Page], english: int, chinese: int | None = None) -> list[Page]:
    """`english` English and `chinese` (default a third as many) Chinese pages, spread evenly
    over each corpus (its sites cluster in file-name order)."""
    en = [p for p in pages if p.lang == "en"]
    zh = [p for p in pages if p.lang == "zh"]
    return _spread(en, english) + _spread(zh, max(1, english // 3) if chinese is None else chinese)


def _spread(pages: list[Page], n: int) -> list[Page]:
    n = min(n, len(pages))
    return [pages[i * len(pages) // n] for i in range(n)]


# --- scoring one pair -----------------------------------------------------------------------


def record(pair: Pair, capture: int) -> dict:
    raw = (pair.a, pair.b)[capture]
    return extract(pair.url, raw, pair.captured_at[capture]).to_json_dict()


def moved_fields(before: dict, after: dict) -> tuple[bool, list[str]]:
    """Whether the content hash moved, and the content fields whose fingerprint moved."""
    old, new = page_fingerprint(before), page_fingerprint(after)
    moved = [
        name
        for name, x, y in zip(CONTENT_FIELDS, old.fingerprints, new.fingerprints, strict=True)
        if x != y
    ]
    return old.content_hash != new.content_hash, moved


def field_diff(before: dict, after: dict, fields: list[str], limit: int = 160) -> dict:
    """What left and entered each moved field (normalised items), each long item shortened
    around where it departs from its counterpart, for diagnosis."""
    diff = {}
    for name in fields:
        old, new = normalise_value(before.get(name)), normalise_value(after.get(name))
        old_items = [_as_text(x) for x in (old if isinstance(old, list) else [old])]
        new_items = [_as_text(x) for x in (new if isinstance(new, list) else [new])]
        only_a = [x for x in old_items if x not in new_items]
        only_b = [x for x in new_items if x not in old_items]
        diff[name] = {
            "only_a": [_clip(x, only_b[i] if i < len(only_b) else "", limit)
                       for i, x in enumerate(only_a[:4])],
            "only_b": [_clip(x, only_a[i] if i < len(only_a) else "", limit)
                       for i, x in enumerate(only_b[:4])],
        }  # fmt: skip
    return diff


def _as_text(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _clip(text: str, other: str, limit: int) -> str:
    """`text` cut to `limit` characters, starting a little before it departs from `other`."""
    if len(text) <= limit:
        return text
    same = len(os.path.commonprefix([text, other]))
    begin = max(0, min(same - limit // 3, len(text) - limit))
    return (
        ("…" if begin else "")
        + text[begin : begin + limit]
        + ("…" if begin + limit < len(text) else "")
    )


def trafilatura_texts(pair: Pair) -> tuple[str, str]:
    """Bare trafilatura on both captures, decoded as benchmarks/extraction_quality.py does."""
    a, b = (
        trafilatura.extract(raw.decode("utf-8", errors="replace"), url=pair.url) or ""
        for raw in (pair.a, pair.b)
    )
    return a, b


def edit_seen(detail: dict, before: str, after: str) -> bool:
    """The edit's own text is in the diff: what it added only in B, or what it removed only
    in A (a text diff has no fields; this is its nearest "right field")."""
    a, b = normalise(before), normalise(after)
    added, removed = normalise(detail["added"]), normalise(detail["removed"])
    return bool(
        (added and added in b and added not in a) or (removed and removed in a and removed not in b)
    )


@dataclass
class Outcome:
    """One pair's result: newsarc's verdict and, with the anchor, trafilatura's."""

    kind: str
    page_id: str
    lang: str
    skipped: str | None = None
    verdict: str = ""  # furniture: "clean" / "false_change"; edits: "detected" / ...
    fields: list[str] = field(default_factory=list)
    trafilatura_changed: bool | None = None
    trafilatura_edit_seen: bool | None = None  # edits only
    diagnosis: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)


def score_pair(page: Page, kind: str, anchor: bool, draw: int = 0) -> Outcome:
    outcome = Outcome(kind, page.page_id, page.lang)
    try:
        pair = make_pair(page, kind, draw)
    except Skip as why:
        outcome.skipped = str(why)
        return outcome
    started = time.process_time()
    try:
        a, b = record(pair, 0), record(pair, 1)
        changed, fields = moved_fields(a, b)
        diff = field_diff(a, b, fields)
    except Exception as error:  # a crash is a failure of the pair, named, not of the run
        changed, fields, diff = True, [f"error: {type(error).__name__}: {error}"[:200]], {}
    outcome.seconds["newsarc"] = time.process_time() - started
    outcome.fields = fields
    if pair.expected_field is None:
        outcome.verdict = "false_change" if changed else "clean"
    elif pair.expected_field in fields:
        outcome.verdict = "detected"
    else:
        outcome.verdict = "wrong_field" if changed else "missed"
    if outcome.verdict not in ("clean", "detected"):
        outcome.diagnosis = {"diff": diff, **pair.detail}
    elif kind == "headline_changed":
        outcome.diagnosis = {"where": pair.detail["where"]}
    if anchor:
        started = time.process_time()
        before, after = trafilatura_texts(pair)
        outcome.trafilatura_changed = before != after
        if pair.expected_field is not None:
            outcome.trafilatura_edit_seen = edit_seen(pair.detail, before, after)
        outcome.seconds["trafilatura"] = time.process_time() - started
    return outcome


def score_page(job: tuple[Page, tuple[str, ...], bool, int]) -> list[Outcome]:
    page, kinds, anchor, draw = job
    return [score_pair(page, kind, anchor, draw) for kind in kinds]


def run(
    pages: list[Page], kinds: tuple[str, ...], anchor: bool, jobs: int, draw: int = 0
) -> list[Outcome]:
    """Every (page, kind) pair, pages spread over `jobs` processes; progress on stderr."""
    work = [(page, kinds, anchor, draw) for page in pages]
    outcomes: list[Outcome] = []
    if jobs <= 1:
        results = map(score_page, work)
        return [o for page_outcomes in results for o in page_outcomes]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for done, page_outcomes in enumerate(pool.imap(score_page, work), 1):
            outcomes += page_outcomes
            if done % 20 == 0 or done == len(work):
                print(f"  {done}/{len(work)} pages", file=sys.stderr, flush=True)
    return outcomes


# --- figures --------------------------------------------------------------------------------


def summarise(kind: str, outcomes: list[Outcome]) -> dict:
    """Per-kind figures, with the failing pages and what moved."""
    scored = [o for o in outcomes if o.skipped is None]
    pairs = len(scored)
    verdicts = Counter(o.verdict for o in scored)
    furniture = kind in FURNITURE
    bad = [o for o in scored if o.verdict not in ("clean", "detected")]
    summary: dict = {
        "type": "furniture" if furniture else "edit",
        "pairs": pairs,
        "skipped": len(outcomes) - pairs,
        "skip_reasons": dict(Counter(o.skipped for o in outcomes if o.skipped)),
    }
    if furniture:
        rate = verdicts["false_change"] / pairs if pairs else 0.0
        summary["newsarc"] = {
            "false_changes": verdicts["false_change"],
            "rate": round(rate, 4),
            "fields_moved": dict(Counter(f for o in bad for f in o.fields)),
        }
        summary["target"] = f"false-change rate {TARGET_FALSE_CHANGE:g}"
        summary["meets_target"] = rate <= TARGET_FALSE_CHANGE
    else:
        rate = verdicts["detected"] / pairs if pairs else 1.0
        summary["newsarc"] = {
            "detected": verdicts["detected"],
            "wrong_field_only": verdicts["wrong_field"],
            "missed": verdicts["missed"],
            "rate": round(rate, 4),
        }
        summary["target"] = f"detection rate >= {TARGET_DETECTION:g}"
        summary["meets_target"] = rate >= TARGET_DETECTION
    anchored = [o for o in scored if o.trafilatura_changed is not None]
    if anchored:
        changed = sum(o.trafilatura_changed for o in anchored)
        name = "false_changes" if furniture else "detected"
        summary["trafilatura"] = {name: changed, "rate": round(changed / len(anchored), 4)}
        if not furniture:
            seen = sum(bool(o.trafilatura_edit_seen) for o in anchored)
            summary["trafilatura"]["edit_in_diff"] = seen
            summary["trafilatura"]["edit_in_diff_rate"] = round(seen / len(anchored), 4)
    summary["by_language"] = {
        lang: {
            "pairs": sum(o.lang == lang for o in scored),
            "failures": sum(o.lang == lang for o in bad),
        }
        for lang in ("en", "zh")
    }
    if kind == "headline_changed":
        by_where: dict = defaultdict(lambda: {"pairs": 0, "failures": 0})
        for o in scored:
            by_where[o.diagnosis["where"]]["pairs"] += 1
            by_where[o.diagnosis["where"]]["failures"] += o.verdict != "detected"
        summary["by_variant"] = dict(sorted(by_where.items()))
    summary["failures"] = [
        {"page": o.page_id, "lang": o.lang, "verdict": o.verdict, "fields": o.fields, **o.diagnosis}
        for o in bad
    ]
    return summary


def rate_cell(summary: dict, engine: str) -> str:
    figures = summary.get(engine)
    if not figures:
        return "-"
    count = figures.get("false_changes", figures.get("detected"))
    return f"{figures['rate'] * 100:6.2f}% ({count})"


def print_table(summaries: dict[str, dict], totals: dict) -> None:
    """One row per kind: furniture rows give false-change rates (target 0), edit rows
    detection rates (target 99%): newsarc in the right field (and how many moved only other
    fields), trafilatura as "texts differ" and as "the edit's own text is in the diff"."""
    header = (
        f"{'kind':21} {'pairs':>5} {'skip':>4}  {'newsarc':>14} {'wrong field':>11}"
        f"  {'trafilatura':>14} {'edit in diff':>12}  target"
    )
    print(header)
    print("-" * len(header))
    for kind_type, title in (("furniture", "false-change rate"), ("edit", "detection rate")):
        print(f"{title} ({kind_type} kinds):")
        for kind, s in summaries.items():
            if s["type"] != kind_type:
                continue
            wrong = s["newsarc"].get("wrong_field_only", "")
            in_diff = s.get("trafilatura", {}).get("edit_in_diff_rate")
            in_diff_cell = f"{in_diff * 100:.2f}%" if in_diff is not None else ""
            mark = "ok" if s["meets_target"] else "MISS"
            print(
                f"  {kind:19} {s['pairs']:5} {s['skipped']:4}  {rate_cell(s, 'newsarc'):>14}"
                f" {wrong:>11}  {rate_cell(s, 'trafilatura'):>14} {in_diff_cell:>12}"
                f"  {s['target']}: {mark}"
            )
    for name, t in totals.items():
        traf = t.get("trafilatura_rate")
        traf_cell = f"{traf * 100:6.2f}%" if traf is not None else "-"
        print(
            f"{name:21} {t['pairs']:5} {t['skipped']:4}  {t['newsarc_rate'] * 100:13.2f}%"
            f" {'':>11}  {traf_cell:>14} {'':>12}  kinds meeting target: "
            f"{t['kinds_meeting_target']}"
        )


def totals_of(summaries: dict[str, dict]) -> dict:
    totals = {}
    for kind_type, name, key in (
        ("furniture", "all furniture", "false_changes"),
        ("edit", "all edits", "detected"),
    ):
        rows = [s for s in summaries.values() if s["type"] == kind_type]
        if not rows:
            continue
        pairs = sum(s["pairs"] for s in rows)
        total = {
            "pairs": pairs,
            "skipped": sum(s["skipped"] for s in rows),
            "newsarc_rate": round(sum(s["newsarc"][key] for s in rows) / max(pairs, 1), 4),
            "kinds_meeting_target": f"{sum(s['meets_target'] for s in rows)}/{len(rows)}",
        }
        if all("trafilatura" in s for s in rows):
            count = sum(s["trafilatura"][key] for s in rows)
            total["trafilatura_rate"] = round(count / max(pairs, 1), 4)
        totals[name] = total
    return totals


def source_state() -> dict:
    """The commit measured, and the extraction files that differed from it: the extractor
    changes often, so a figure names exactly what it measured."""
    root = Path(__file__).resolve().parents[1]

    def git(*args: str) -> str:
        run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return run.stdout if run.returncode == 0 else "?"

    changed = git("status", "--porcelain", "--", "archive")
    return {"commit": git("rev-parse", "HEAD").strip(),
            "uncommitted": [line[3:] for line in changed.splitlines() if line]}  # fmt: skip


def parse_kinds(text: str | None) -> tuple[str, ...]:
    if not text:
        return KINDS
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise SystemExit(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")
    return kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--sample", type=int, help="N English + N/3 Chinese pages, spread")
    parser.add_argument("--kinds", help=f"comma-separated, of: {', '.join(KINDS)}")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-anchor", action="store_true", help="skip trafilatura")
    parser.add_argument(
        "--draw", type=int, default=0,
        help="another draw of markup, places and texts (0: the reported one); results go to "
        "results/truth_mutations_draw<N>.json",
    )  # fmt: skip
    args = parser.parse_args()
    kinds = parse_kinds(args.kinds)
    pages = load_pages(args.corpus)
    if args.sample:
        pages = sample_pages(pages, args.sample)
    languages = Counter(p.lang for p in pages)
    print(
        f"truth mutations: {languages['en']} EN + {languages['zh']} ZH pages, "
        f"{len(kinds)} kinds, {args.jobs} processes",
        file=sys.stderr,
    )
    started = time.perf_counter()
    outcomes = run(pages, kinds, not args.no_anchor, args.jobs, args.draw)
    wall = time.perf_counter() - started
    by_kind = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    summaries = {kind: summarise(kind, by_kind[kind]) for kind in kinds}
    totals = totals_of(summaries)
    print(
        f"truth mutations: {languages['en']} EN + {languages['zh']} ZH pages, "
        f"captures 2 h apart, {wall:.0f} s wall with {args.jobs} processes"
    )
    print_table(summaries, totals)
    cpu = Counter()
    for outcome in outcomes:
        cpu.update(outcome.seconds)
    result = {
        "command": "python -m benchmarks.truth_mutations " + " ".join(sys.argv[1:]),
        "machine": machine("trafilatura", "lxml"),
        "source": source_state(),
        "pages": dict(languages),
        "kinds": {
            "furniture": [k for k in kinds if k in FURNITURE],
            "edit": [k for k in kinds if k in EDITS],
        },
        "targets": {
            "furniture_false_change_rate": TARGET_FALSE_CHANGE,
            "edit_detection_rate": TARGET_DETECTION,
        },
        "wall_seconds": round(wall, 1),
        "cpu_seconds": {name: round(value, 1) for name, value in cpu.items()},
        "totals": totals,
        "per_kind": summaries,
    }
    out = RESULTS.with_name(f"truth_mutations_draw{args.draw}.json") if args.draw else RESULTS
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {out}")


if __name__ == "__main__":
    main()
