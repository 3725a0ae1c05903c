"""What counts as a story's content, normalised so that only real changes change its hash.

Content is the extracted text fields in both languages (titles, summaries, TL;DR, body, FAQ,
tags). Times, scores, view counts and page furniture are not content: scores are kept as a time
series on each version, never compared. Normalisation removes what readers cannot see or do not
read as a change: Unicode compatibility forms (full-width and half-width punctuation), runs of
white space, zero-width characters.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from archive.stories.extract.live_values import without_live_values

CONTENT_FIELDS = (
    "title_en", "title_zh", "summary_en", "summary_zh", "tldr_en", "tldr_zh",
    "body_en", "body_zh", "faq", "tags",
)  # fmt: skip
# A story seen through several pages (EN and ZH hreflang pages) is one record: each of these
# fields comes from the first page, canonical first, that has it.
MERGED_FIELDS = (*CONTENT_FIELDS, "paragraph_pairs", "published_at", "updated_at", "author",
                 "scores", "key_data")  # fmt: skip

_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(text: str | None) -> str:
    """What a reader would call the same text: compatibility forms, invisible characters and
    white space runs are equal, and values that move by themselves (relative times, counts,
    scores: furniture.without_live_values) are left out wherever they stand."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    return without_live_values(_SPACE.sub(" ", text).strip())


def normalise_value(value: object) -> object:
    if value is None or isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {k: normalise_value(v) for k, v in sorted(value.items())}
    if isinstance(value, Iterable):
        items = [normalise_value(v) for v in value]
        return [v for v in items if v not in ("", [], {})]
    return value


def has_story_text(record: dict) -> bool:
    """A page with a title and some body text in either language is a story."""
    has_title = bool(record.get("title_en") or record.get("title_zh"))
    return has_title and bool(record.get("body_en") or record.get("body_zh"))


# Body fields are fingerprinted paragraph by paragraph, so that the derivation can leave out a
# site's boilerplate paragraphs (archive/stories/boilerplate.py) and recompute the field's
# fingerprint in SQL: body_fingerprint(hashes) there is left(sha1(array_to_string(hashes, '|'))).
PARAGRAPH_FIELDS = ("body_en", "body_zh")


@dataclass(frozen=True)
class PageFingerprint:
    """What change detection needs of one extracted page, computed once at extraction so that
    versions and changed fields can be found in SQL without reading the records again."""

    story_text: bool
    filled: int  # bit i: MERGED_FIELDS[i] is non-empty on this page
    fingerprints: list[str]  # per CONTENT_FIELDS: '' when empty after normalisation
    claim: datetime | None  # the update time the page claims
    content_hash: str  # of all the fingerprints: equal hashes mean no change a reader would see
    # per PARAGRAPH_FIELDS, one hash per paragraph of the field as extracted ('' for a
    # paragraph with nothing left after normalisation), parallel to the record's list
    paragraphs: tuple[list[str], ...] = ()


def paragraph_hash(text: str) -> str:
    normalised = normalise_text(text)
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16] if normalised else ""


def body_fingerprint(hashes: list[str]) -> str:
    """A body field's fingerprint from its paragraph hashes ('' when it has none)."""
    kept = [h for h in hashes if h]
    return hashlib.sha1("|".join(kept).encode("ascii")).hexdigest()[:16] if kept else ""


def page_fingerprint(record: dict) -> PageFingerprint:
    filled = sum(1 << i for i, name in enumerate(MERGED_FIELDS) if record.get(name))
    paragraphs = tuple(
        [paragraph_hash(text) for text in record.get(name) or []] for name in PARAGRAPH_FIELDS
    )
    fingerprints = []
    for name in CONTENT_FIELDS:
        if name in PARAGRAPH_FIELDS:
            fingerprints.append(body_fingerprint(paragraphs[PARAGRAPH_FIELDS.index(name)]))
            continue
        value = normalise_value(_compared(record, name))
        empty = value in ("", [], {})
        dumped = json.dumps(value, ensure_ascii=False).encode("utf-8")
        fingerprints.append("" if empty else hashlib.sha1(dumped).hexdigest()[:16])
    claimed = record.get("updated_at")
    claim = datetime.fromisoformat(claimed.replace("Z", "+00:00")) if claimed else None
    digest = "sha1:" + hashlib.sha1("|".join(fingerprints).encode("ascii")).hexdigest()
    return PageFingerprint(has_story_text(record), filled, fingerprints, claim, digest, paragraphs)


def _compared(record: dict, name: str) -> object:
    """What is compared of a field: a title with every headline variant the page gives in
    its language (an edit of og:title or JSON-LD alone is an edit of the title)."""
    value = record.get(name)
    if name in ("title_en", "title_zh") and value:
        variants = (record.get("headlines") or {}).get(name[-2:]) or []
        return [value, *sorted({normalise_text(v) for v in variants} - {normalise_text(value)})]
    return value


def page_signals(record: dict, content: str | None) -> str:
    """What a page says about which story it is, as canonical JSON: two captures with equal
    signals add nothing new to the URL grouping."""
    return json.dumps(
        {
            "canonical": record.get("canonical_url"),
            "amp": record.get("amp_url"),
            "mobile": record.get("mobile_url"),
            "alternates": record.get("language_alternates") or {},
            "content": content,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
