"""py3langid's model, loaded in a twentieth of the time from an uncompressed copy.

The model ships LZMA-compressed (4.6 MB, 68 MB unpacked); unpacking it takes about half a second
of CPU in every process that identifies a language: each ingest, each `newsarc extract`, each
test worker. The first process writes the unpacked arrays to a cache directory, keyed by the
package version and the model file's size and time, and later ones map them from disk. Without a
writable cache the model is loaded as py3langid does it.
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

_MEMBERS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
_TYPECODES = {2: "H", 4: "I", 8: "L"}


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
    return LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _as_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_as_array(arrays["nextmove_row"]),
    )


def _model_file() -> Path:
    path = Path(MODEL_FILE)
    return path if path.is_absolute() else MODEL_DIR / path


def _cache_dir(model: Path) -> Path:
    stat = model.stat()
    key = f"py3langid-{version('py3langid')}-{stat.st_size}-{int(stat.st_mtime)}"
    return cache_root() / key


def _unpack(model: Path, target: Path) -> None:
    """Write the arrays beside `target` and rename into place, so readers never see half."""
    # load_model validates the layout; its stdlib arrays are turned back into numpy to save.
    ptc, pc, classes, nextmove, row, output = load_model(model)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
    try:
        arrays = {
            "ptc": np.asarray(ptc), "pc": np.asarray(pc), "classes": np.array(classes),
            "nextmove": np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
            "nextmove_row": np.frombuffer(row, dtype=f"u{row.itemsize}"),
            "out_feat": np.asarray(output, dtype=np.int32),
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
