"""Bilingual pages: paragraphs sorted into English and Chinese, and EN->ZH pairs aligned.

Translated news puts each English paragraph next to its Chinese translation (interleaved),
in two blocks of equal length, or both in one paragraph ("English text. 中文译文。"). All
three become the same output: two lists and the aligned pairs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .language import _HAN, NEEDS_MODEL, detect_language, han_share, script_language

PAGE_SAMPLE = 400  # characters of a page's longest paragraphs read by the language model


@dataclass(frozen=True)
class Paragraph:
    text: str
    lang: str | None


def label(paragraphs: list[str]) -> list[Paragraph]:
    """Each paragraph with its language; an EN+ZH paragraph becomes two."""
    parts = [part for text in paragraphs for part in split_mixed(text)]
    scripts = [script_language(part) for part in parts]
    if _mostly_english(parts, scripts):
        # Every letter-bearing paragraph that is not Chinese is English on such a page (the
        # rule below would relabel it so anyway): no need to ask the model paragraph by paragraph.
        return [
            Paragraph(part, lang if lang in ("zh", None) else "en")
            for part, lang in zip(parts, scripts, strict=True)
        ]
    out = [Paragraph(part, detect_language(part)) for part in parts]
    # A Latin-script paragraph the model calls, say, 'de' on an EN/ZH page is nearly always
    # English it misread (names, quotes, lists); it follows the page's main Latin language.
    main = _main_latin(out)
    return [
        p if p.lang in ("en", "zh", None) or p.lang == main else Paragraph(p.text, "en")
        for p in out
    ]


def _mostly_english(parts: list[str], scripts: list[str | None]) -> bool:
    """The page's main non-Chinese language is English: the paragraphs the writing system
    cannot place are read by the model once, as a sample of their longest paragraphs, and
    weighed by size against those it can (Japanese, Korean), as `_main_latin` weighs them."""
    unplaced = [part for part, lang in zip(parts, scripts, strict=True) if lang == NEEDS_MODEL]
    if not unplaced:
        return False
    sizes: dict[str, int] = {}
    for part, lang in zip(parts, scripts, strict=True):
        if lang not in (None, "zh", NEEDS_MODEL):
            sizes[lang] = sizes.get(lang, 0) + len(part)
    sample, length = [], 0
    for part in sorted(unplaced, key=len, reverse=True):
        if length >= PAGE_SAMPLE:
            break
        sample.append(part)
        length += len(part)
    if detect_language(" ".join(sample)[:PAGE_SAMPLE]) != "en":
        return False  # another main language, or a mixed page: paragraph by paragraph
    english = sum(len(part) for part in unplaced)
    return all(english >= size for size in sizes.values())


def _main_latin(paragraphs: list[Paragraph]) -> str:
    sizes: dict[str, int] = {}
    for p in paragraphs:
        if p.lang and p.lang != "zh":
            sizes[p.lang] = sizes.get(p.lang, 0) + len(p.text)
    return max(sizes, key=sizes.__getitem__) if sizes else "en"


def split_mixed(text: str) -> list[str]:
    """'English sentence. 中文句子。' -> both halves; anything else is returned whole."""
    first_han = _HAN.search(text)
    if first_han is None or first_han.start() == 0:
        return [text]
    # Start the Chinese half at the beginning of the sentence holding the first Han character,
    # so a Chinese sentence that opens with a Latin name ("Anthropic 遭遇…") stays whole.
    boundary = max(text.rfind(mark, 0, first_han.start()) for mark in (". ", "? ", "! ", ") "))
    if boundary < 0:
        return [text]
    english, chinese = text[: boundary + 1].strip(), text[boundary + 1 :].strip()
    if len(english) < 20 or han_share(english) > 0 or han_share(chinese) < 0.7:
        return [text]
    return [english, chinese]


def by_language(paragraphs: list[Paragraph]) -> tuple[list[str], list[str]]:
    english = [p.text for p in paragraphs if p.lang == "en"]
    chinese = [p.text for p in paragraphs if p.lang == "zh"]
    return english, chinese


def other_languages(paragraphs: list[Paragraph]) -> list[str]:
    """Paragraphs in a language that is neither English nor Chinese (None: no letters at all)."""
    return [p.text for p in paragraphs if p.lang not in ("en", "zh", None)]


def align(paragraphs: list[Paragraph]) -> list[tuple[str, str]]:
    """EN->ZH pairs: adjacent EN then ZH paragraphs; failing that, two equal-length blocks."""
    pairs = [
        (a.text, b.text)
        for a, b in zip(paragraphs, paragraphs[1:], strict=False)
        if a.lang == "en" and b.lang == "zh" and _plausible(a.text, b.text)
    ]
    english, chinese = by_language(paragraphs)
    if len(pairs) >= max(1, min(len(english), len(chinese)) // 2):
        return pairs
    if english and len(english) == len(chinese):
        return [(e, z) for e, z in zip(english, chinese, strict=True) if _plausible(e, z)]
    return pairs


def _plausible(english: str, chinese: str) -> bool:
    """A translation is roughly as long: ~1.5-4 English characters per Han character."""
    han = max(1, len(_HAN.findall(chinese)))
    return 0.4 <= len(english) / han <= 8


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
