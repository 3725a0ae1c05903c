"""Near-duplicate stories (a syndicated copy under another header and footer) with MinHash LSH.

Texts are shingled (word 3-grams for Latin script, character 4-grams for CJK), LSH proposes
candidate pairs, and each candidate is confirmed with the exact Jaccard similarity of the two
shingle sets, so the reported figure is exact and the LSH only has to be generous.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache
from hashlib import blake2b

import numpy as np
from datasketch import MinHash

THRESHOLD = 0.8
NUM_PERM = 128
WORD_SHINGLE = 3
CJK_SHINGLE = 4
# Fixed so that sketches, and therefore candidate pairs, are the same on every run.
MINHASH_SEED = 20240601
# LSH looks for candidates below the threshold: MinHash only estimates similarity, and a pair
# just above the threshold must not be lost to an unlucky estimate. Exact Jaccard decides.
LSH_MARGIN = 0.1
# Bands of the 128-row signature: two texts become candidates when all rows of one band agree.
# 14 bands of 9 rows is what datasketch's MinHashLSH picks for threshold 0.8 - LSH_MARGIN (equal
# weights on false positives and negatives); the band keys are stored, so they are fixed here.
LSH_BANDS = 14

_CJK = (
    "\u3040-\u30ff"  # hiragana, katakana
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\U00020000-\U0003134f"  # CJK extensions B-G
)
_WORDS = re.compile(f"[^\\W_{_CJK}]+")
_CJK_CHARACTERS = re.compile(f"[{_CJK}]")
# Odd 64-bit multipliers that turn a run of unit hashes into one shingle hash; the two sets keep
# word and character shingles apart.
_WORD_WEIGHTS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64
)
_CJK_WEIGHTS = np.array(
    [0xD6E8FEB86659FD93, 0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3],
    dtype=np.uint64,
)


# A 128-permutation MinHash estimate has a standard error of about 0.04: pairs estimated 3 sigma
# below the threshold cannot plausibly reach it and skip the exact comparison.
ESTIMATE_MARGIN = 0.12
PAIR_SLICE = 16384  # candidate pairs whose signatures are compared at once


@dataclass(frozen=True)
class NearDuplicate:
    """`story_key` is a near-copy of the earlier story `copy_of` (exact shingle Jaccard)."""

    story_key: str
    copy_of: str
    similarity: float


def find_near_duplicates(
    docs: Iterable[tuple[str, str, str]], threshold: float = THRESHOLD, num_perm: int = NUM_PERM
) -> list[NearDuplicate]:
    """Pairs of different stories whose texts have a shingle Jaccard similarity >= `threshold`.

    `docs` are (story_key, site, text). Callers pass them ordered by first_seen_at: of two near
    duplicates the story that appears first is the original and the later one the copy. Every
    pair is reported, same site or not (a story copied by two sites gives two rows, and the two
    copies are a third); a story given several times (versions) counts from its first
    appearance. Texts with no words are ignored. Sorted by (story_key, copy_of).
    """
    unit_hashes: dict[str, int] = {}
    first_seen: dict[str, int] = {}
    buckets: dict[tuple[int, int], list[int]] = {}
    keys: list[str] = []
    sketches: list[Sketch] = []
    best: dict[tuple[str, str], float] = {}

    for story_key, _site, text in docs:
        first_seen.setdefault(story_key, len(first_seen))
        sketch = make_sketch(text, unit_hashes, threshold, num_perm)
        if sketch is None:
            continue
        candidates = {i for band in sketch.bands for i in buckets.get(band, ())}
        for index in sorted(candidates):
            other = keys[index]
            if other == story_key:
                continue
            similarity = similar(sketch, sketches[index], threshold)
            if similarity is None:
                continue
            copy, original = sorted((story_key, other), key=first_seen.__getitem__, reverse=True)
            pair = (copy, original)
            best[pair] = max(similarity, best.get(pair, 0.0))
        for band in sketch.bands:
            buckets.setdefault(band, []).append(len(keys))
        keys.append(story_key)
        sketches.append(sketch)

    return [NearDuplicate(copy, original, best[copy, original]) for copy, original in sorted(best)]


@dataclass(frozen=True)
class Sketch:
    """A text's shingle hashes, its MinHash signature and the LSH band keys of the signature."""

    hashes: np.ndarray  # sorted, distinct
    signature: np.ndarray
    bands: tuple[tuple[int, int], ...]  # (band number, hash of the band's rows)

    @cached_property
    def shingles(self) -> frozenset[int]:
        """The hashes as a set, made only for the few sketches an exact comparison needs."""
        return frozenset(self.hashes.tolist())


def make_sketch(
    text: str,
    unit_hashes: dict[str, int] | None = None,
    threshold: float = THRESHOLD,
    num_perm: int = NUM_PERM,
) -> Sketch | None:
    """The sketch of `text`, or None when it has no words."""
    shingles = shingle_hashes(text, unit_hashes)
    if shingles.size == 0:
        return None
    signature = minhash_signature(shingles, num_perm)
    rows = num_perm // LSH_BANDS
    keys = tuple(
        (band, int.from_bytes(blake2b(signature[band * rows : (band + 1) * rows].tobytes(),
                                      digest_size=8).digest()))
        for band in range(LSH_BANDS)
    )  # fmt: skip
    return Sketch(shingles, signature, keys)


def minhash_signature(shingles: np.ndarray, num_perm: int = NUM_PERM) -> np.ndarray:
    """datasketch's MinHash signature (scheme "affine64", `hashfunc=int`) of the 64-bit shingle
    hashes, computed on the array at once: datasketch's update_batch first walks the values in
    Python, one call per value. Equality with datasketch is tested, since stored band keys
    depend on it."""
    a, b = _permutations(num_perm)
    mixed = shingles.astype(np.uint64)  # MurmurHash3's 64-bit finaliser, as datasketch pre-mixes
    mixed ^= mixed >> np.uint64(33)
    mixed *= np.uint64(0xFF51AFD7ED558CCD)
    mixed ^= mixed >> np.uint64(33)
    mixed *= np.uint64(0xC4CEB9FE1A85EC53)
    mixed ^= mixed >> np.uint64(33)
    return (mixed[:, np.newaxis] * a + b).min(axis=0)  # wraps modulo 2**64, as datasketch's


def similar(a: Sketch, b: Sketch, threshold: float = THRESHOLD) -> float | None:
    """The exact Jaccard similarity of two sketched texts when it reaches `threshold`."""
    # The signatures' estimate is cheap; only plausible pairs get the exact Jaccard.
    agreeing = np.count_nonzero(a.signature == b.signature)
    if agreeing < (threshold - ESTIMATE_MARGIN) * len(a.signature):
        return None
    similarity = _jaccard(a.shingles, b.shingles)
    return similarity if similarity >= threshold else None


def jaccard(a: Sketch | None, b: Sketch | None) -> float:
    """The exact Jaccard similarity of two sketched texts; 0.0 when either has no words."""
    if a is None or b is None:
        return 0.0
    return _jaccard(a.shingles, b.shingles)


def confirm_pairs(
    left: np.ndarray, right: np.ndarray, sketches: dict[str, Sketch], threshold: float = THRESHOLD
) -> dict[tuple[str, str], float]:
    """Exact similarity of the candidate pairs (left[i], right[i]) that reach `threshold`. The
    signature estimate is computed for all pairs at once, so only plausible pairs get the exact
    Jaccard; names without a sketch are skipped."""
    if len(left) == 0:
        return {}
    names, inverse = np.unique(np.concatenate([left, right]).astype(str), return_inverse=True)
    known = np.array([name in sketches for name in names])
    a, b = inverse[: len(left)], inverse[len(left) :]
    keep = known[a] & known[b]
    a, b = a[keep], b[keep]
    width = len(next(iter(sketches.values())).signature)
    signatures = np.stack(
        [sketches[name].signature if ok else np.zeros(width, np.uint64)
         for name, ok in zip(names, known, strict=True)]
    )  # fmt: skip
    # In slices: on a boilerplate-heavy site every pair of stories can be a candidate, and the
    # two gathered signature matrices would take 2 KiB per pair at once (470 MiB for 221k pairs).
    agreeing = np.concatenate(
        [np.count_nonzero(signatures[a[i : i + PAIR_SLICE]] == signatures[b[i : i + PAIR_SLICE]],
                          axis=1)
         for i in range(0, len(a), PAIR_SLICE)]
        or [np.empty(0, dtype=np.intp)]
    )  # fmt: skip
    plausible = np.flatnonzero(agreeing >= (threshold - ESTIMATE_MARGIN) * width)
    found = {}
    for i, j in zip(a[plausible].tolist(), b[plausible].tolist(), strict=True):
        similarity = _jaccard(sketches[names[i]].shingles, sketches[names[j]].shingles)
        if similarity >= threshold:
            found[(str(names[i]), str(names[j]))] = similarity
    return found


@lru_cache(maxsize=4)
def _permutations(num_perm: int):
    return MinHash(num_perm=num_perm, seed=MINHASH_SEED, scheme="affine64").permutations


def shingle_hashes(text: str, unit_hashes: dict[str, int] | None = None) -> np.ndarray:
    """The sorted, distinct 64-bit hashes of `text`'s shingles: 3-grams of lower-cased words and
    4-grams of CJK characters (a mixed text has both). `unit_hashes` caches word hashes."""
    cache = {} if unit_hashes is None else unit_hashes
    text = text.lower()
    words = _WORDS.findall(text)
    characters = _CJK_CHARACTERS.findall(text)
    for unit in set(words).union(characters).difference(cache):
        cache[unit] = int.from_bytes(blake2b(unit.encode(), digest_size=8).digest())
    words = list(map(cache.__getitem__, words))
    characters = list(map(cache.__getitem__, characters))
    return np.unique(
        np.concatenate([_ngrams(words, _WORD_WEIGHTS), _ngrams(characters, _CJK_WEIGHTS)])
    )


def _ngrams(units: list[int], weights: np.ndarray) -> np.ndarray:
    if not units:
        return np.empty(0, dtype=np.uint64)
    values = np.array(units, dtype=np.uint64)
    count = len(values) - len(weights) + 1
    if count < 1:  # a text shorter than one shingle is one shingle
        return (values * weights[: len(values)]).sum(keepdims=True, dtype=np.uint64)
    shingles = values[:count] * weights[0]
    for offset in range(1, len(weights)):
        shingles += values[offset : offset + count] * weights[offset]
    return shingles


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)
