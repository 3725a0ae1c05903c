"""py3langid's model, loaded in a twentieth of the time from an uncompressed copy.

The model ships LZMA-compressed (4.6 MB, 68 MB unpacked); unpacking it takes about half a second
of CPU in every process that identifies a language: each ingest, each `newsarc extract`, each
test worker. The first process writes the unpacked arrays to a cache directory, keyed by the
package version and the model file's size and time, and later ones map them from disk. Without a
writable cache the model is loaded as py3langid does it.

Unpacking also prepares two shortcuts that leave every score bit for bit as py3langid computes
it: the naive Bayes table is stored as float32 (py3langid keeps float16 and converts the rows a
text needs on every call, most of its scoring time; the conversion is exact, so the sums are the
same), and the automaton's memory is measured, so that long texts are walked with numpy (see
`WindowedIdentifier`).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from array import array
from importlib.metadata import version
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import load_model

log = logging.getLogger(__name__)

_MEMBERS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat", "window")
_LAYOUT = 2  # of the cache directory: 2 added the float32 table and the window
_TYPECODES = {2: "H", 4: "I", 8: "L"}

# Encoded bytes from which numpy walks a text: shorter ones are cheaper in py3langid's loop (on
# the corpus texts numpy wins from ~100 bytes by CPU time, from ~160 by instructions counted).
WALK_WITH_NUMPY_FROM = 128
LONGEST_WINDOW = 16  # an automaton remembering more is walked byte by byte, as py3langid does


def cache_root() -> Path:
    """$NEWSARC_CACHE, else $XDG_CACHE_HOME/newsarc, else ~/.cache/newsarc."""
    if configured := os.environ.get("NEWSARC_CACHE"):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsarc"


def load_identifier() -> LanguageIdentifier:
    """py3langid's identifier with normalised probabilities, from the cache when possible."""
    model = _model_file()
    cached = _cache_dir(model)
    if not (cached / "ready").exists():
        try:
            _unpack(model, cached)
        except OSError as exc:
            log.info("language model cache not written (%s); loading the packed model", exc)
            return LanguageIdentifier.from_model_file(model, norm_probs=True)
    arrays = {name: np.load(cached / f"{name}.npy", mmap_mode="r") for name in _MEMBERS}
    return WindowedIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _as_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_as_array(arrays["nextmove_row"]),
        window=int(arrays["window"]) or None,
    )


class WindowedIdentifier(LanguageIdentifier):
    """py3langid's identifier, walking long texts with numpy for exactly py3langid's scores.

    py3langid steps its automaton through a text one byte per Python loop iteration. But the
    automaton forgets: after `window` bytes its state is the same whatever state it started in
    (`forgetting_window`). So the state at each byte is the one that the `window` bytes ending
    there lead to from the start state, and all positions are walked together in `window`
    vectorised steps. Without a window (None) it is py3langid's identifier.
    """

    __slots__ = ("_walk",)

    def __init__(self, *args, window: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._walk = WindowWalk.over(self, window) if window else None

    def _raw_score(self, text):
        if self._walk is None or not isinstance(text, bytes) or len(text) < WALK_WITH_NUMPY_FROM:
            return super()._raw_score(text)
        features = self._walk.features(text)
        if not features.size:
            return super()._raw_score(b"")  # py3langid's score for text without features
        ids, counts = counted_in_first_order(features)
        # py3langid's _sparse_score on the arrays it would build: the same float32 sums.
        return np.log1p(counts.astype(np.float32)) @ self.nb_ptc[ids] + self.nb_pc


def counted_in_first_order(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct features and how often each occurs, in the order they first occur: the
    order of py3langid's Counter, which its scores are summed in (floats: the order matters)."""
    order = features.argsort(kind="stable")  # each feature's positions stay in text order
    ordered = features[order]
    # True where each run of one feature starts, and at the end
    edges = np.empty(ordered.size + 1, dtype=bool)
    edges[0] = edges[-1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=edges[1:-1])
    edges = edges.nonzero()[0]
    starts, counts = edges[:-1], edges[1:] - edges[:-1]
    by_first = order[starts].argsort()
    return ordered[starts[by_first]], counts[by_first]


class WindowWalk:
    """The features an automaton that forgets after `window` bytes finds at each byte of a text."""

    def __init__(
        self,
        nextmove: np.ndarray,
        rowbase: np.ndarray,
        output: np.ndarray,
        window: int,
        padding: bytes,
    ) -> None:
        self._nextmove = nextmove
        self._rowbase = rowbase  # each state's offset in nextmove
        self._from_start = nextmove[rowbase[0] : rowbase[0] + 256]
        self._output = output
        self._window = window
        self._padding = padding

    @classmethod
    def over(cls, identifier: LanguageIdentifier, window: int) -> WindowWalk | None:
        """The walk over py3langid's own tables, or None when no byte keeps the automaton in
        its start state: texts are padded with one so that their first bytes, which have fewer
        than `window` before them, are walked like the others."""
        nextmove = np.frombuffer(identifier.tk_nextmove, dtype=identifier.tk_nextmove.typecode)
        row = np.frombuffer(identifier.tk_row, dtype=identifier.tk_row.typecode)
        rowbase = row.astype(np.intp) << 8
        staying = np.flatnonzero(nextmove[rowbase[0] : rowbase[0] + 256] == 0)
        if not staying.size:
            return None
        padding = bytes([int(staying[0])]) * (window - 1)
        return cls(nextmove, rowbase, np.asarray(identifier.tk_output), window, padding)

    def features(self, text: bytes) -> np.ndarray:
        """Feature ids in the order py3langid's loop meets them, one per byte that ends one."""
        padded = np.frombuffer(self._padding + text, dtype=np.uint8)
        size = len(text)
        states = self._from_start[padded[:size]]
        for step in range(1, self._window):
            states = self._nextmove[self._rowbase[states] + padded[step : step + size]]
        found = self._output[states]
        return found[found >= 0]


def forgetting_window(nextmove: np.ndarray, row: np.ndarray) -> int | None:
    """After how many bytes the automaton's state no longer depends on the state it started in
    (None: more than LONGEST_WINDOW). Proven by walking every state and the start state through
    the same bytes, as pairs of transition rows: once the two rows agree, the next byte takes
    both to one state. (py3langid's model: 6 bytes, in half a second.)"""
    table = nextmove.reshape(-1, 256)
    rows = np.unique(row).astype(np.intp)
    here = rows[rows != row[0]]
    there = np.full_like(here, row[0])  # where the start state stands
    for length in range(LONGEST_WINDOW):
        if not here.size:
            return length + 1
        if here.size > 2 * len(table):  # not an automaton that forgets soon: spare the memory
            return None
        here, there = _apart_one_byte_later(table, row, here, there)
    return None


def _apart_one_byte_later(table, row, here, there):
    """The distinct pairs of rows the pairs (here, there) lead to, byte by byte, leaving out
    those that agree."""
    here, there = row[table[here]].ravel(), row[table[there]].ravel()
    apart = here != there
    pairs = np.unique(here[apart].astype(np.intp) * len(table) + there[apart])
    return np.divmod(pairs, len(table))


def _model_file() -> Path:
    path = Path(MODEL_FILE)
    return path if path.is_absolute() else MODEL_DIR / path


def _cache_dir(model: Path) -> Path:
    stat = model.stat()
    key = f"py3langid-{version('py3langid')}-{stat.st_size}-{int(stat.st_mtime)}-{_LAYOUT}"
    return cache_root() / key


def _unpack(model: Path, target: Path) -> None:
    """Write the arrays beside `target` and rename into place, so readers never see half."""
    # load_model validates the layout; its stdlib arrays are turned back into numpy to save.
    ptc, pc, classes, nextmove, row, output = load_model(model)
    nextmove = np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}")
    row = np.frombuffer(row, dtype=f"u{row.itemsize}")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
    try:
        arrays = {
            "ptc": np.asarray(ptc, dtype=np.float32), "pc": np.asarray(pc),
            "classes": np.array(classes), "nextmove": nextmove, "nextmove_row": row,
            "out_feat": np.asarray(output, dtype=np.int32),
            "window": np.array(forgetting_window(nextmove, row) or 0),
        }  # fmt: skip
        for name, values in arrays.items():
            np.save(staging / f"{name}.npy", values, allow_pickle=False)
        (staging / "ready").touch()
        try:
            staging.rename(target)
        except OSError:
            if not (target / "ready").exists():  # not simply another process winning the race
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _as_array(values: np.ndarray) -> array:
    """The stdlib array py3langid walks its automaton with (faster to index than numpy)."""
    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
