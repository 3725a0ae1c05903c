"""Golden extraction fixtures: saved pages and the output extraction gives for each.

    uv run python -m tests.golden            # list the pages whose output differs, exit 1 if any
    uv run python -m tests.golden --update   # rewrite every expectation from the current code

Each set under tests/fixtures/golden/<set>/ holds saved pages (`<name>.html.gz`, the bytes as
captured), `inputs.json` (per page: the URL, the HTTP headers extraction reads, the capture
time, the profile's extraction rules) and `<name>.json`, the expected output: the record
`extract` returns and the content fingerprint change detection computes from it (what counts
as content). tests/test_golden_extraction.py compares every page with its expectation.

After an intended change to extraction, run `--update`, then review
`git diff tests/fixtures/golden` like code: every changed field is a change in what the archive
records for a real page. Commit the expectations with the change that moved them.
New pages are added by tests/golden_pages.py.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from archive.stories.content import page_fingerprint, page_signals
from archive.stories.extract import extract

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "golden"
INPUTS = "inputs.json"
# Five of the Chinese pages, among them the three that declare gb2312 over UTF-8 bytes: the
# charset and Chinese-extraction tests and the fuzz seeds use these.
ZH_SAMPLE = tuple(
    GOLDEN / "zh-news-gne" / f"{name}.html.gz"
    for name in ("163-9", "people-1", "qq-2", "sina-1", "thepaper-1")
)


@dataclass(frozen=True)
class GoldenPage:
    """One saved page and what extraction was given with it when it was captured."""

    set_name: str
    name: str
    url: str
    captured_at: str  # ISO 8601, as the WARC-Date would give it
    headers: dict[str, str] = field(default_factory=dict)
    rules: dict[str, list[str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.set_name}/{self.name}"

    @property
    def page_path(self) -> Path:
        return GOLDEN / self.set_name / f"{self.name}.html.gz"

    @property
    def expected_path(self) -> Path:
        return GOLDEN / self.set_name / f"{self.name}.json"


def golden_pages() -> list[GoldenPage]:
    """Every page of every set, in set and name order."""
    pages = []
    for inputs in sorted(GOLDEN.glob(f"*/{INPUTS}")):
        entries = json.loads(inputs.read_text(encoding="utf-8"))
        pages += [
            GoldenPage(inputs.parent.name, name, **entry) for name, entry in sorted(entries.items())
        ]
    return pages


def extraction_output(page: GoldenPage) -> dict:
    """What the archive keeps of this page: the record and its fingerprint, as plain JSON
    types (an exception is recorded, as ingest records it, never raised)."""
    body = gzip.decompress(page.page_path.read_bytes())
    captured_at = datetime.fromisoformat(page.captured_at.replace("Z", "+00:00"))
    try:
        story = extract(page.url, body, captured_at, page.headers, page.rules)
    except Exception as exc:  # noqa: BLE001 - the failure is the expected output then
        return {"error": f"{type(exc).__name__}: {exc}"}
    record = story.to_json_dict()
    fingerprint = page_fingerprint(record)
    content = fingerprint.content_hash if fingerprint.story_text else None
    return {
        "record": record,
        "fingerprint": {
            "content_hash": fingerprint.content_hash,
            "story_text": fingerprint.story_text,
            "filled": fingerprint.filled,
            "fingerprints": fingerprint.fingerprints,
            "claim": fingerprint.claim.isoformat() if fingerprint.claim else None,
            "paragraphs": list(fingerprint.paragraphs),
            "signals": json.loads(page_signals(record, content)),
        },
    }


def dumps(output: dict) -> str:
    """Stable text for an expectation: sorted keys, one value per line, UTF-8 as it reads."""
    return json.dumps(output, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def normalised(output: dict) -> dict:
    """The output as it reads back from its file (tuples become lists, and so on)."""
    return json.loads(dumps(output))


def expected_output(page: GoldenPage) -> dict:
    return json.loads(page.expected_path.read_text(encoding="utf-8"))


def differences(expected: dict, actual: dict) -> str:
    """A readable account of the fields that differ: each as 'section.field: expected -> got',
    long lists shown item by item."""
    lines = []
    for section in sorted(set(expected) | set(actual)):
        want, got = expected.get(section), actual.get(section)
        if want == got:
            continue
        if not (isinstance(want, dict) and isinstance(got, dict)):
            lines.append(f"{section}: {_short(want)} -> {_short(got)}")
            continue
        for key in sorted(set(want) | set(got)):
            if want.get(key) != got.get(key):
                lines += _field_difference(f"{section}.{key}", want.get(key), got.get(key))
    return "\n".join(lines)


def _field_difference(name: str, want: object, got: object) -> list[str]:
    if isinstance(want, list) and isinstance(got, list):
        lines = [f"{name}: {len(want)} items expected, {len(got)} extracted"]
        for i in range(max(len(want), len(got))):
            old = want[i] if i < len(want) else "<none>"
            new = got[i] if i < len(got) else "<none>"
            if old != new:
                lines += [f"  [{i}] expected {_short(old)}", f"  [{i}] got      {_short(new)}"]
        return lines
    return [f"{name}:", f"  expected {_short(want)}", f"  got      {_short(got)}"]


def _short(value: object, limit: int = 160) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def update(pages: list[GoldenPage]) -> list[GoldenPage]:
    """Rewrite the expectations of `pages` from the current code; returns those that changed."""
    changed = []
    for page in pages:
        text = dumps(extraction_output(page))
        old = page.expected_path.read_text(encoding="utf-8") if page.expected_path.exists() else ""
        if text != old:
            page.expected_path.write_text(text, encoding="utf-8")
            changed.append(page)
    return changed


def stale_expectations(pages: list[GoldenPage]) -> list[Path]:
    """Expectation files no page in any inputs.json owns any more."""
    owned = {page.expected_path for page in pages}
    return sorted(
        path
        for path in GOLDEN.glob("*/*.json")
        if path.name != INPUTS and path.resolve() not in owned
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--update", action="store_true", help="rewrite the expectations from the current code"
    )
    args = parser.parse_args(argv)
    pages = golden_pages()
    if args.update:
        changed = update(pages)
        for path in stale_expectations(pages):
            path.unlink()
            print(f"removed {path.relative_to(GOLDEN.parents[2])} (no such page any more)")
        print(f"{len(changed)} of {len(pages)} expectations rewritten under {GOLDEN}")
        print("review them: git diff tests/fixtures/golden")
        return 0
    differing = [p for p in pages if normalised(extraction_output(p)) != expected_output(p)]
    for page in differing:
        print(page.id)
    print(f"{len(differing)} of {len(pages)} pages differ from their expectation")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
