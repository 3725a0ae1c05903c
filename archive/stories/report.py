"""Story changes for people: the rows `newsarc changes` / `newsarc history` print, and a
self-contained HTML report of them with side-by-side diffs per language and capture links.

Archived text is untrusted. Every value reaches the page through `_e` (html.escape, quote=True),
links only through `_href` (http, https and file URLs), and the page's Content-Security-Policy
forbids scripts and every fetch; it needs no external resource and no JavaScript.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import duckdb

from archive.stories.diff import field_paragraphs
from archive.stories.replay_links import replay_base as resolve_replay_base
from archive.stories.replay_links import replay_url

KINDS = ("new", "edited", "claimed_update", "removed", "restored")
LANGUAGES = {"en": "English", "zh": "中文", "": "Both languages"}
CSP = "default-src 'none'; style-src 'unsafe-inline'"

CHANGES_SQL = """
SELECT c.article_id, a.site, a.canonical_url, a.title_en, a.title_zh, c.kind, c.detected_at,
       c.from_version, c.to_version, coalesce(c.fields, []), c.claimed, coalesce(c.diff, ''),
       c.capture_id, k.warc_file, k.warc_offset
FROM changes c
JOIN articles a USING (article_id)
LEFT JOIN captures k ON k.record_id = c.capture_id
WHERE ($since::TIMESTAMPTZ IS NULL OR c.detected_at >= $since)
  AND ($site::VARCHAR IS NULL OR a.site = $site)
  AND ($kinds::VARCHAR[] IS NULL OR list_contains($kinds, c.kind))
  AND ($article::VARCHAR IS NULL OR c.article_id = $article)
ORDER BY c.detected_at, c.article_id, c.to_version NULLS LAST
"""


@dataclass(frozen=True)
class ChangeRow:
    """One row of `changes`, with the story's current titles and where its capture is stored."""

    article_id: str
    site: str | None
    canonical_url: str
    title_en: str | None
    title_zh: str | None
    kind: str
    detected_at: datetime
    from_version: int | None
    to_version: int | None
    fields: list[str]
    claimed: bool | None
    diff: str
    capture_id: str
    warc_file: str | None
    warc_offset: int | None

    def to_json_dict(self) -> dict:
        return {**asdict(self), "detected_at": self.detected_at.isoformat()}


@dataclass(frozen=True)
class Capture:
    url: str
    captured_at: datetime
    warc_file: str
    warc_offset: int
    warc_length: int


@dataclass
class _Context:
    """What the render functions look up: versions, captures and where links point."""

    versions: dict[tuple[str, int], dict] = field(default_factory=dict)
    captures: dict[str, Capture] = field(default_factory=dict)
    warc_dir: Path | None = None
    replay_base: str | None = None


# -- queries -----------------------------------------------------------------------------------


def recent_changes(
    con: duckdb.DuckDBPyConnection,
    *,
    since: datetime | None = None,
    site: str | None = None,
    kinds: list[str] | None = None,
    article_id: str | None = None,
) -> list[ChangeRow]:
    """Changes detected at or after `since` (oldest first), optionally of one site, kinds, story."""
    params = {"since": since, "site": site, "kinds": kinds or None, "article": article_id}
    return [ChangeRow(*row) for row in con.execute(CHANGES_SQL, params).fetchall()]


def find_story(con: duckdb.DuckDBPyConnection, article_id_or_url: str) -> str | None:
    """The article_id of a story named by its id, canonical URL or any URL seen for it."""
    row = con.execute(
        "SELECT article_id FROM articles WHERE article_id = $key OR canonical_url = $key"
        " UNION SELECT article_id FROM article_urls WHERE url = $key LIMIT 1",
        {"key": article_id_or_url},
    ).fetchone()
    return row[0] if row else None


def story_versions(
    con: duckdb.DuckDBPyConnection, article_id: str, replay_base: str | None = None
) -> list[dict]:
    """A story's versions, oldest first, each with its capture's WARC file and offset and its
    replay link (`replay_url`, at `replay_base`: see replay_links.replay_base)."""
    cursor = con.execute(
        "SELECT v.version, v.captured_at, v.content_hash, v.title_en, v.title_zh, v.capture_id,"
        " k.warc_file, k.warc_offset, k.url AS capture_url FROM article_versions v"
        " LEFT JOIN captures k ON k.record_id = v.capture_id"
        " WHERE v.article_id = $id ORDER BY v.version",
        {"id": article_id},
    )
    columns = [d[0] for d in cursor.description]
    versions = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    base = resolve_replay_base(replay_base)
    for version in versions:
        url = version.pop("capture_url")
        version["replay_url"] = replay_url(base, version["captured_at"], url) if url else None
    return versions


def diff_blocks(diff: str) -> dict[str, list[str]]:
    """`changes.diff` split into its `[field]` blocks of `-old` / `+new` lines."""
    blocks: dict[str, list[str]] = {}
    current: list[str] = []
    for line in diff.splitlines():
        header = re.fullmatch(r"\[(\w+)\]", line)
        if header:
            current = blocks.setdefault(header.group(1), [])
        else:
            current.append(line)
    return blocks


def field_language(name: str) -> str:
    """'en' for title_en, 'zh' for body_zh, '' for fields covering both (faq, tags)."""
    return name.rsplit("_", 1)[1] if name.endswith(("_en", "_zh")) else ""


def _versions(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict:
    if not article_ids:
        return {}
    cursor = con.execute(
        "SELECT * FROM article_versions WHERE list_contains($ids, article_id)", {"ids": article_ids}
    )
    columns = [d[0] for d in cursor.description]
    found = {}
    for row in cursor.fetchall():
        record = dict(zip(columns, row, strict=True))
        found[record["article_id"], record["version"]] = record
    return found


def _captures(con: duckdb.DuckDBPyConnection, record_ids: set[str]) -> dict[str, Capture]:
    if not record_ids:
        return {}
    rows = con.execute(
        "SELECT record_id, url, captured_at, warc_file, warc_offset, warc_length FROM captures"
        " WHERE list_contains($ids, record_id)",
        {"ids": sorted(record_ids)},
    ).fetchall()
    return {row[0]: Capture(*row[1:]) for row in rows}


# -- the report --------------------------------------------------------------------------------


def write_change_report(
    con: duckdb.DuckDBPyConnection,
    out_path: Path,
    *,
    since: datetime | None,
    site: str | None,
    kinds: list[str] | None,
    warc_dir: Path | None,
    replay_base: str | None = None,
    changes: list[ChangeRow] | None = None,
) -> Path:
    """Write the HTML report of the matching changes (or of *changes*, when the caller has
    narrowed them, e.g. to those published between two snapshots) to `out_path` and return it.

    `warc_dir` turns capture references into file links; each capture also gets a replay link
    `{replay_base}/{timestamp14}/{url}` (a pywb collection URL; default NEWSARC_REPLAY_BASE, else
    where `newsarc replay` listens: http://127.0.0.1:8080/newsarc).
    """
    if changes is None:
        changes = recent_changes(con, since=since, site=site, kinds=kinds)
    edited = sorted({c.article_id for c in changes if c.fields})
    base = resolve_replay_base(replay_base)
    ctx = _Context(versions=_versions(con, edited), warc_dir=warc_dir, replay_base=base)
    ids = {c.capture_id for c in changes} | {v["capture_id"] for v in ctx.versions.values()}
    ctx.captures = _captures(con, ids)
    filters = {"since": since, "site": site, "kinds": ", ".join(kinds or [])}
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(_render_report(changes, ctx, filters), encoding="utf-8")
    return out_path


def _e(value: object) -> str:
    """The only way data enters the page."""
    return escape("" if value is None else str(value), quote=True)


def _href(url: str | None) -> str | None:
    """An escaped link target, or None for anything but http(s) and file URLs."""
    if url and url.lower().startswith(("http://", "https://", "file://")):
        return _e(url)
    return None


def _link(url: str | None, text: str) -> str:
    href = _href(url)
    return f'<a href="{href}">{_e(text)}</a>' if href else _e(text)


def _when(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


def _render_report(changes: list[ChangeRow], ctx: _Context, filters: dict) -> str:
    stories: dict[str, list[ChangeRow]] = {}
    for change in sorted(changes, key=lambda c: c.detected_at, reverse=True):
        stories.setdefault(change.article_id, []).append(change)
    body = "".join(_story(rows[::-1], ctx) for rows in stories.values())
    return _page(_summary(changes, len(stories), filters) + (body or "<p>No changes match.</p>"))


def _page(body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>newsarc: story changes</title>\n<style>{STYLE}</style></head>\n"
        f"<body>\n{body}\n</body></html>\n"
    )


def _summary(changes: list[ChangeRow], stories: int, filters: dict) -> str:
    counts = {kind: sum(c.kind == kind for c in changes) for kind in KINDS}
    kinds = " · ".join(f"{n} {_e(kind)}" for kind, n in counts.items() if n) or "none"
    shown = [
        f"{name}: {_e(_when(v) if name == 'since' else v)}" for name, v in filters.items() if v
    ]
    return (
        "<header><h1>Story changes</h1>"
        f"<p>{_count(len(changes), 'change')} in {_count(stories, 'story', 'stories')}"
        f" ({kinds}).</p>"
        f'<p class="meta">Filters: {"; ".join(shown) or "none"}. '
        f"Generated {_e(_when(datetime.now(UTC)))}.</p></header>\n"
    )


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _story(changes: list[ChangeRow], ctx: _Context) -> str:
    head = changes[-1]
    return (
        '<section class="story">'
        f'<h2 lang="en">{_e(head.title_en or "(no English title)")}</h2>'
        f'<p class="title-zh" lang="zh">{_e(head.title_zh or "（无中文标题）")}</p>'
        f'<p class="meta">{_e(head.site)} · {_link(head.canonical_url, head.canonical_url)}'
        f" · story {_e(head.article_id)}</p>"
        + "".join(_change(c, ctx) for c in changes)
        + "</section>\n"
    )


def _change(change: ChangeRow, ctx: _Context) -> str:
    versions = (
        f" · v{_e(change.from_version)} → v{_e(change.to_version)}"
        if change.from_version and change.to_version and change.from_version != change.to_version
        else ""
    )
    claim = {True: " · claimed by the page", False: " · silent edit"}.get(change.claimed, "")
    claim = claim if change.kind == "edited" else ""
    diffs = _diffs(change, ctx)
    new = ctx.versions.get((change.article_id, change.to_version)) if diffs else None
    capture = ""
    if not new or new["capture_id"] != change.capture_id:
        capture = (
            f'<p class="capture">Capture: {_capture(ctx.captures.get(change.capture_id), ctx)}</p>'
        )
    return (
        f'<article class="change kind-{_e(change.kind)}"><h3>'
        f'<span class="kind">{_e(change.kind)}</span> {_e(_when(change.detected_at))}'
        f"{versions}{claim}</h3>"
        f"{_fields(change.fields)}{diffs}{capture}</article>"
    )


def _fields(fields: list[str]) -> str:
    if not fields:
        return ""
    parts = []
    for lang, label in LANGUAGES.items():
        names = [f.removesuffix(f"_{lang}") for f in fields if field_language(f) == lang]
        if names:
            parts.append(f"<b>{_e(label)}</b>: {_e(', '.join(names))}")
    return f'<p class="fields">Changed fields: {" · ".join(parts)}</p>'


def _capture(capture: Capture | None, ctx: _Context) -> str:
    if capture is None:
        return "not in the catalog"
    where = f"{capture.warc_file} @ offset {capture.warc_offset} ({capture.warc_length} bytes)"
    target = (ctx.warc_dir / capture.warc_file).resolve().as_uri() if ctx.warc_dir else None
    html = _link(target, where)
    if ctx.replay_base:
        html += " · " + _link(
            replay_url(ctx.replay_base, capture.captured_at, capture.url), "replay"
        )
    return html


def _diffs(change: ChangeRow, ctx: _Context) -> str:
    """One side-by-side table per change: a section per language, a block per changed field."""
    if not change.fields:
        return ""
    old = ctx.versions.get((change.article_id, change.from_version))
    new = ctx.versions.get((change.article_id, change.to_version))
    sections = []
    for lang, label in LANGUAGES.items():
        names = [f for f in change.fields if field_language(f) == lang]
        if not names:
            continue
        rows = "".join(_field_rows(change, name, old, new) for name in names)
        lang_attr = f' lang="{_e(lang)}"' if lang else ""
        heading = f'<tr class="lang"><th colspan="2">{_e(label)}</th></tr>'
        sections.append(f"<tbody{lang_attr}>{heading}{rows}</tbody>")
    head = (
        f"<th>{_version_head(old, 'before', ctx)}</th><th>{_version_head(new, 'after', ctx)}</th>"
    )
    return f'<table class="sbs"><thead><tr>{head}</tr></thead>{"".join(sections)}</table>'


def _field_rows(change: ChangeRow, name: str, old: dict | None, new: dict | None) -> str:
    if old and new:
        before, after = field_paragraphs(old.get(name)), field_paragraphs(new.get(name))
    else:  # versions not in the catalog: fall back to the stored diff lines
        lines = diff_blocks(change.diff).get(name, [])
        before = [line[1:] for line in lines if line.startswith("-")]
        after = [line[1:] for line in lines if line.startswith("+")]
    label = name.removesuffix("_" + field_language(name)) if field_language(name) else name
    return f'<tr class="field"><th colspan="2">{_e(label)}</th></tr>' + _side_by_side(before, after)


def _version_head(version: dict | None, fallback: str, ctx: _Context) -> str:
    if version is None:
        return _e(fallback)
    capture = _capture(ctx.captures.get(version["capture_id"]), ctx)
    return (
        f"v{_e(version['version'])} · {_e(_when(version['captured_at']))}"
        f'<br><span class="capture">{capture}</span>'
    )


def _side_by_side(old: list[str], new: list[str]) -> str:
    """Rows of old (left) and new (right) paragraphs, aligned; changed ones highlighted."""
    rows = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            rows += [_row(_e(p), _e(p), "same") for p in old[i1:i2]]
            continue
        left, right = old[i1:i2], new[j1:j2]
        for k in range(max(len(left), len(right))):
            a = left[k] if k < len(left) else None
            b = right[k] if k < len(right) else None
            if a is not None and b is not None:
                rows.append(_row(*_inline(a, b), "changed"))
            else:
                rows.append(_row(_e(a), _e(b), "removed" if b is None else "added"))
    return "".join(rows)


def _row(left: str, right: str, state: str) -> str:
    return f'<tr class="{state}"><td class="old">{left}</td><td class="new">{right}</td></tr>'


# ASCII \w: an English word is one token, each CJK character another. Paragraphs less similar
# than REWRITTEN are marked as a whole: word-by-word marks of a rewrite are only confetti.
REWRITTEN = 0.5
_TOKEN = re.compile(r"\w+|\s+|.", re.ASCII | re.DOTALL)


def _inline(old: str, new: str) -> tuple[str, str]:
    """Both versions of a paragraph, the words (or CJK characters) that differ marked."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < REWRITTEN:
        return f"<del>{_e(old)}</del>", f"<ins>{_e(new)}</ins>"
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = _e("".join(a[i1:i2])), _e("".join(b[j1:j2]))
        if op == "equal":
            left.append(before)
            right.append(after)
            continue
        left.append(f"<del>{before}</del>" if before else "")
        right.append(f"<ins>{after}</ins>" if after else "")
    return "".join(left), "".join(right)


STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f2328; background: #f6f8fa;
  margin: 0 auto; max-width: 1200px; padding: 1.5em; }
header h1 { margin: 0 0 .2em; }
.meta, .capture, .fields { color: #59636e; font-size: 13px; overflow-wrap: anywhere; }
.story { background: #fff; border: 1px solid #d1d9e0; border-radius: 8px; padding: 1em 1.4em;
  margin: 1.2em 0; }
.story h2 { margin: 0; font-size: 1.3em; }
.title-zh { margin: .1em 0 .3em; font-size: 1.15em; }
.change { border-top: 1px solid #e6eaef; padding-top: .6em; margin-top: .8em; }
.change h3 { font-size: 1em; margin: 0 0 .3em; font-weight: 600; }
.kind { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: 12px;
  color: #fff; background: #59636e; vertical-align: 1px; }
.kind-new .kind { background: #0969da; }
.kind-edited .kind { background: #9a6700; }
.kind-claimed_update .kind { background: #8250df; }
.kind-removed .kind { background: #cf222e; }
.kind-restored .kind { background: #1a7f37; }
.sbs tr.lang th { background: #dde4ec; font-size: 13px; }
table.sbs { width: 100%; margin: .5em 0; table-layout: fixed; border-collapse: collapse;
  font-size: 14px; }
.sbs th, .sbs td { border: 1px solid #d1d9e0; padding: .35em .6em; vertical-align: top;
  text-align: left; overflow-wrap: anywhere; white-space: pre-wrap; }
.sbs thead th { background: #f6f8fa; font-weight: 600; white-space: normal; }
.sbs thead .capture { font-weight: normal; }
.sbs tr.field th { background: #eef1f4; font-size: 12px; text-transform: uppercase;
  letter-spacing: .04em; color: #59636e; }
.sbs tr.same td { color: #59636e; }
.sbs tr.changed td.old, .sbs tr.removed td.old { background: #ffebe9; }
.sbs tr.changed td.new, .sbs tr.added td.new { background: #dafbe1; }
del { background: #ffcecb; text-decoration: line-through; text-decoration-color: #cf222e; }
ins { background: #aceebb; text-decoration: none; }
"""
