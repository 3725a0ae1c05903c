"""A story's history: its content versions and the changes between them, from its sightings.

Walks one story's captures in time order: a new version only when the normalised content hash
moves; a change event for each new story, edit (claimed by the page or silent), update claim
without a content change, removal (404/410) and restoration.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from archive.story_content import CONTENT_FIELDS, content_hash, field_fingerprints, has_story_text

GONE = (404, 410)
CONTENT_REASONS = ("canonical", "hreflang")
MERGED_FIELDS = (*CONTENT_FIELDS, "paragraph_pairs", "published_at", "updated_at", "author",
                 "scores", "key_data")  # fmt: skip
# A claimed update time must move by more than this to count: relative markers ("2h ago") are
# resolved against each capture's time and wobble within their unit.
CLAIM_TOLERANCE = timedelta(minutes=1)


@dataclass(frozen=True)
class Sighting:
    """One capture of one of a story's URLs: its content (by extraction) or its absence."""

    captured_at: datetime
    capture_id: str
    url: str
    status: int
    extraction_id: str | None
    run_id: str | None = None


@dataclass
class Version:
    number: int
    captured_at: datetime
    capture_id: str
    record: dict
    hash: str


@dataclass(frozen=True)
class Change:
    kind: str  # new | edited | claimed_update | removed | restored
    detected_at: datetime
    capture_id: str
    from_version: int | None
    to_version: int | None
    fields: tuple[str, ...] = ()
    claimed: bool | None = None
    diff: str = ""


@dataclass
class History:
    versions: list[Version] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    status: str = "live"


def merge_pages(pages: list[dict]) -> dict:
    """One story record from its language pages: each field from the first page that has it."""
    return {name: next((p[name] for p in pages if p.get(name)), None) for name in MERGED_FIELDS}


def _claim(record: dict) -> datetime | None:
    value = record.get("updated_at")
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _claim_moved(before: datetime | None, after: datetime | None) -> bool:
    return after is not None and (before is None or after - before > CLAIM_TOLERANCE)


def changed_fields(old: dict, new: dict) -> tuple[str, ...]:
    a, b = field_fingerprints(old), field_fingerprints(new)
    return tuple(name for name in CONTENT_FIELDS if a[name] != b[name])


def field_paragraphs(value: object) -> list[str]:
    """A field as the paragraphs (lines) a diff compares: FAQ pairs and tables flattened."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in sorted(value.items())]
    if isinstance(value, list | tuple):
        return [line for item in value for line in field_paragraphs(item)]
    return [str(value)]


def version_diff(old: dict, new: dict, fields: tuple[str, ...]) -> str:
    """Paragraph-level diff of the changed fields, each labelled with its field and language."""
    parts = []
    for name in fields:
        lines = difflib.unified_diff(
            field_paragraphs(old.get(name)), field_paragraphs(new.get(name)), lineterm="", n=0
        )
        body = [line for line in lines if not line.startswith(("---", "+++", "@@"))]
        if body:
            parts.append(f"[{name}]\n" + "\n".join(body))
    return "\n".join(parts)


def _batches(sightings: list[Sighting]) -> list[list[Sighting]]:
    """Consecutive sightings of one crawl run: a story's pages seen in one run are one look."""
    batches: list[list[Sighting]] = []
    for sighting in sightings:
        if batches and sighting.run_id is not None and batches[-1][-1].run_id == sighting.run_id:
            batches[-1].append(sighting)
        else:
            batches.append([sighting])
    return batches


def story_history(
    sightings: list[Sighting],
    reasons: dict[str, str],
    records: dict[str, dict],
    sitemap_claims: Callable[[str | None, str | None], bool] = lambda before, after: False,
) -> History:
    """Versions and changes of one story from its sightings (oldest first).

    `sitemap_claims(run_before, run_after)` says whether the site's sitemap moved the story's
    lastmod between two crawl runs, which claims an update as a moved dateModified does."""
    content_urls = {u for u, r in reasons.items() if r in CONTENT_REASONS}
    own = [s for s in sightings if s.url in content_urls]
    order = sorted(content_urls, key=lambda u: (reasons[u] != "canonical", u))
    history = History()
    latest: dict[str, dict] = {}
    last_claim: datetime | None = None
    last_run: str | None = None
    for batch in _batches(own or sightings):
        seen = [
            s for s in batch
            if s.extraction_id is not None and has_story_text(records.get(s.extraction_id) or {})
        ]  # fmt: skip
        if not seen:
            gone = [s for s in batch if s.status in GONE]
            if gone and history.versions and history.status == "live":
                history.status = "removed"
                history.changes.append(
                    Change("removed", gone[0].captured_at, gone[0].capture_id,
                           history.versions[-1].number, None)
                )  # fmt: skip
            continue
        for sighting in seen:
            latest[sighting.url] = records[sighting.extraction_id]
        anchor = seen[-1]
        merged = merge_pages([latest[u] for u in order if u in latest] or list(latest.values()))
        digest = content_hash(merged)
        claim = _claim(merged)
        claimed = _claim_moved(last_claim, claim) or sitemap_claims(last_run, anchor.run_id)
        previous = history.versions[-1] if history.versions else None
        if history.status == "removed":
            history.status = "live"
            history.changes.append(
                Change("restored", seen[0].captured_at, seen[0].capture_id, previous.number,
                       previous.number)
            )  # fmt: skip
        if previous is None or previous.hash != digest:
            version = Version(
                len(history.versions) + 1, anchor.captured_at, anchor.capture_id, merged, digest
            )
            history.versions.append(version)
            if previous is None:
                history.changes.append(
                    Change("new", anchor.captured_at, anchor.capture_id, None, 1)
                )
            else:
                fields = changed_fields(previous.record, merged)
                history.changes.append(
                    Change("edited", anchor.captured_at, anchor.capture_id, previous.number,
                           version.number, fields, claimed,
                           version_diff(previous.record, merged, fields))
                )  # fmt: skip
        elif claimed:
            history.changes.append(
                Change("claimed_update", anchor.captured_at, anchor.capture_id,
                       previous.number, previous.number, (), True)
            )  # fmt: skip
        last_claim = claim or last_claim
        last_run = anchor.run_id
    return history
