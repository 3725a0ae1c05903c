"""In-memory newsroom: the stories a demo site serves and the edits tests make to them.

Pages are rendered from this model on every request, so an edit here is what a crawler sees
next.  The edit operations deliberately differ in which timestamps they move, because that
is what change detection downstream has to cope with:

* ``edit_title`` / ``edit_paragraph`` / ``add_tldr`` / ``append_correction`` / ``touch_updated``
  move ``updated`` (the visible "Updated" marker, JSON-LD dateModified and Last-Modified);
* ``silent_edit`` changes text but leaves every timestamp alone (a stealth edit);
* ``touch_updated`` moves the timestamps without changing any text.
"""

from __future__ import annotations

import copy
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)

LANGS = ("en", "zh")


def norm_lang(lang: str) -> str:
    """Accept "zh-CN"/"zh-Hans" etc. for Chinese; the model stores just "en" and "zh"."""
    short = lang.lower().split("-")[0]
    if short not in LANGS:
        raise ValueError(f"unknown language {lang!r}; use 'en' or 'zh'")
    return short


@dataclass
class Story:
    slug: str
    kind: str  # aggregator: story|live|fault ; translated: article|split|gbk
    title: dict[str, str]
    dek: dict[str, str]
    tldr: dict[str, list[str]]
    paragraphs: list[dict[str, str]]
    key_data: list[list[str]]
    faq: list[dict[str, dict[str, str]]]
    tags: list[str]
    author: str
    scores: list[int]
    published: datetime
    updated: datetime
    draft: bool = False
    removed: bool = False
    corrections: list[dict[str, str]] = field(default_factory=list)
    version: int = 0
    views: int = 0

    def is_out(self, now: datetime) -> bool:
        """Published and its publication time has come (removed stories still count)."""
        return not self.draft and self.published <= now

    def is_live(self, now: datetime) -> bool:
        return self.is_out(now) and not self.removed

    def state(self) -> dict:
        return {
            "kind": self.kind,
            "published": self.published.isoformat(),
            "updated": self.updated.isoformat(),
            "draft": self.draft,
            "removed": self.removed,
            "version": self.version,
            "views": self.views,
            "title": dict(self.title),
        }


def story_from_dict(data: dict, parse_time) -> Story:
    """Build a Story from the plain data modules (deep-copied so edits never leak back)."""
    data = copy.deepcopy(data)
    published = parse_time(data["published"])
    return Story(
        slug=data["slug"],
        kind=data["kind"],
        title=data["title"],
        dek=data.get("dek", {"en": "", "zh": ""}),
        tldr=data.get("tldr", {"en": [], "zh": []}),
        paragraphs=data["paragraphs"],
        key_data=data.get("key_data", []),
        faq=data.get("faq", []),
        tags=data.get("tags", []),
        author=data.get("author", "Newsroom"),
        scores=list(data.get("scores", [70, 70, 70])),
        published=published,
        updated=parse_time(data.get("updated", data["published"])),
        draft=data.get("draft", False),
    )


class Newsroom:
    """The stories of one site plus the edit operations; one lock guards everything."""

    def __init__(self, stories: list[Story]) -> None:
        self.lock = threading.RLock()
        self._stories = {story.slug: story for story in stories}
        self.revision = 0  # bumped on every mutation; render caches key on it
        self.changed_at: datetime | None = None  # last publish/remove/restore (listings move)

    # -- reading -----------------------------------------------------------------------------
    def get(self, slug: str) -> Story | None:
        return self._stories.get(slug)

    def all(self) -> list[Story]:
        return list(self._stories.values())

    def live(self, now: datetime, kinds: tuple[str, ...] | None = None) -> list[Story]:
        """Stories a reader can see, newest first."""
        with self.lock:
            found = [
                s
                for s in self._stories.values()
                if s.is_live(now) and (kinds is None or s.kind in kinds)
            ]
        return sorted(found, key=lambda s: (s.published, s.slug), reverse=True)

    def _need(self, slug: str) -> Story:
        story = self._stories.get(slug)
        if story is None:
            raise KeyError(f"no story {slug!r}")
        return story

    def _changed(self, story: Story, now: datetime | None) -> None:
        story.version += 1
        self.revision += 1
        if now is not None:
            story.updated = max(story.updated, now)

    # -- edits -------------------------------------------------------------------------------
    def publish(self, slug: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            if story.draft or story.published > now:
                story.published = now
            story.draft = False
            story.updated = max(story.updated, story.published)
            self.changed_at = now
            self._changed(story, None)

    def edit_title(self, slug: str, lang: str, text: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            story.title[norm_lang(lang)] = text
            self._changed(story, now)

    def edit_paragraph(self, slug: str, index: int, lang: str, text: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            story.paragraphs[index][norm_lang(lang)] = text
            self._changed(story, now)

    def silent_edit(self, slug: str, index: int, lang: str, text: str) -> None:
        with self.lock:
            story = self._need(slug)
            story.paragraphs[index][norm_lang(lang)] = text
            self._changed(story, None)

    def add_tldr(self, slug: str, lang: str, text: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            story.tldr.setdefault(norm_lang(lang), []).append(text)
            self._changed(story, now)

    def append_correction(self, slug: str, text_en: str, text_zh: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            story.corrections.append({"en": text_en, "zh": text_zh, "at": now.isoformat()})
            self._changed(story, now)

    def touch_updated(self, slug: str, now: datetime) -> None:
        with self.lock:
            story = self._need(slug)
            self._changed(story, now)

    def remove(self, slug: str, now: datetime) -> None:
        with self.lock:
            self._need(slug).removed = True
            self.changed_at = now
            self.revision += 1

    def restore(self, slug: str, now: datetime) -> None:
        with self.lock:
            self._need(slug).removed = False
            self.changed_at = now
            self.revision += 1

    def listing_modified(self, now: datetime) -> datetime | None:
        """Last-Modified for listings/feeds: newest visible change, scheduled ones included."""
        with self.lock:
            moments = [s.updated for s in self._stories.values() if s.is_live(now)]
            if self.changed_at is not None:
                moments.append(self.changed_at)
        return max(moments) if moments else None

    def count_view(self, story: Story) -> int:
        with self.lock:
            story.views += 1
            return story.views

    def state(self) -> dict[str, dict]:
        with self.lock:
            return {slug: story.state() for slug, story in self._stories.items()}
