"""The zoo's newsroom: the demo model plus the edits a scenario needs on every layout.

``flows/demo_sites/model.py`` already knows titles, paragraph rewrites, TL;DR additions,
corrections, removal and "touch"; a change scenario also adds and drops whole paragraphs and
rewords one TL;DR bullet, so those live here (as a subclass, leaving the old sites alone).
Each story also carries ``extra``: what one layout needs and no other does (a portal article
id, a Polylang slug, a headline style).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import datetime

from ..model import Newsroom, Story, norm_lang, story_from_dict
from ..timefmt import parse_iso


@dataclass
class ZooStory(Story):
    extra: dict = field(default_factory=dict)


def zoo_story(data: dict) -> ZooStory:
    """Build a story from a plain data module entry (deep copies: edits never leak back)."""
    base = story_from_dict(data, parse_iso)
    values = {f.name: getattr(base, f.name) for f in fields(Story)}
    return ZooStory(**values, extra=copy.deepcopy(data.get("extra", {})))


class ZooNewsroom(Newsroom):
    """Newsroom with whole-paragraph and TL;DR-bullet edits; every edit claims an update."""

    def stories(self) -> list[ZooStory]:
        return sorted(self.all(), key=lambda s: (s.published, s.slug))

    def reword(self, slug: str, index: int, lang: str, old: str, new: str, now: datetime) -> None:
        """Replace one phrase of one paragraph; the phrase must be there (tests stay honest)."""
        with self.lock:
            story = self._need(slug)
            lang = norm_lang(lang)
            text = story.paragraphs[index][lang]
            if old not in text:
                raise ValueError(f"{slug} paragraph {index} ({lang}) has no {old!r}")
            story.paragraphs[index][lang] = text.replace(old, new, 1)
            self._changed(story, now)

    def add_paragraph(self, slug: str, index: int, paragraph: dict, now: datetime) -> None:
        """Insert a bilingual paragraph before ``index`` (``len`` appends)."""
        with self.lock:
            story = self._need(slug)
            entry = {"en": paragraph["en"], "zh": paragraph["zh"]}
            entry.update({k: v for k, v in paragraph.items() if k not in entry})
            story.paragraphs.insert(index, entry)
            self._changed(story, now)

    def drop_paragraph(self, slug: str, index: int, now: datetime) -> dict:
        with self.lock:
            story = self._need(slug)
            if len(story.paragraphs) <= 2:
                raise ValueError(f"{slug}: a story keeps at least two paragraphs")
            dropped = story.paragraphs.pop(index)
            self._changed(story, now)
            return dropped

    def edit_tldr(self, slug: str, lang: str, index: int, text: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            bullets = story.tldr.get(norm_lang(lang)) or []
            if not 0 <= index < len(bullets):
                raise ValueError(f"{slug} has no {lang} TL;DR bullet {index}")
            bullets[index] = text
            self._changed(story, now)

    def set_extra(self, slug: str, key: str, value) -> None:
        """Change layout furniture kept with a story (a partner's intro line): no timestamps
        move, because the newsroom did not touch the story itself."""
        with self.lock:
            self._need(slug).extra[key] = value
            self.revision += 1
