"""Language of a short piece of text: a script check first, then py3langid's model.

Statistical models are unreliable on a five-word line and on Chinese text sprinkled with
Latin names ("Claude 5发布"), so writing systems decide whenever they can: enough Han
characters make a line Chinese, kana Japanese, Hangul Korean. Only text in other scripts (Latin,
Cyrillic, Arabic...) reaches the model (which ships inside the py3langid package; nothing is
downloaded).
"""

from __future__ import annotations

import re
from functools import lru_cache

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_LETTER = re.compile(r"[^\W\d_]")

# A Han character carries about a word's worth of text, so it is weighed against Latin words.
HAN_SHARE_FOR_CHINESE = 0.4
SHORT_TEXT = 40  # characters; below this the model's guess needs high confidence


def han_share(text: str) -> float:
    """Han characters as a share of Han characters + Latin words, 0.0 when there are none."""
    han = len(_HAN.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return han / (han + words) if han + words else 0.0


NEEDS_MODEL = "?"  # script_language's answer when the writing system does not decide


def script_language(text: str) -> str | None:
    """What the writing system alone says: 'zh', 'ja', 'ko', None (no letters), or
    NEEDS_MODEL for Latin, Cyrillic, Arabic... text that only the model can tell apart."""
    han = len(_HAN.findall(text))
    if not han and not _KANA.search(text) and not _HANGUL.search(text):
        # The common case, Latin or another alphabet only: no need to count anything.
        return NEEDS_MODEL if _LATIN.search(text) or _LETTER.search(text) else None
    kana = len(_KANA.findall(text))
    latin = len(_LATIN.findall(text))
    if kana and han + kana >= latin:
        return "ja"
    if _HANGUL.search(text) and len(_HANGUL.findall(text)) >= latin:
        return "ko"
    if han + latin == 0:
        return NEEDS_MODEL if _LETTER.search(text) else None
    if han and han / (han + len(_LATIN_WORD.findall(text))) >= HAN_SHARE_FOR_CHINESE:
        return "zh"  # han_share(text), with the Han characters counted once
    return NEEDS_MODEL


@lru_cache(maxsize=16384)
def detect_language(text: str) -> str | None:
    """ISO 639-1 code ('en', 'zh', ...) or None for text without letters. Memoised: a page asks
    about the same title or line several times, and a site repeats its furniture."""
    found = script_language(text)
    if found != NEEDS_MODEL:
        return found
    if not _HAN.search(text) and not _LATIN.search(text):
        # Cyrillic, Greek, Arabic...: the model knows them.
        return _identifier().classify(text)[0]
    return _latin_language(text)


def _latin_language(text: str) -> str:
    code, confidence = _identifier().classify(text)
    if code in ("en", "zh"):
        return code
    # Short Latin-script lines (headings, captions, names) fool the model; on a bilingual
    # EN/ZH news page they are English unless the model is sure.
    if len(text) < SHORT_TEXT and confidence < 0.99:
        return "en"
    return code


@lru_cache(maxsize=1)
def _identifier():
    from .langid_model import load_identifier  # numpy and the model only when needed

    return load_identifier()
