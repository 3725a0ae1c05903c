"""Search over the latest version of every story, in English and Chinese: an inverted index
kept by the derivation, ranked with BM25 in one SQL statement.

Chinese has no spaces between words, so every text (document or query, whatever its language)
goes through the same tokeniser: rjieba's search segmentation, which also yields the shorter
words inside a long one ("国务院" inside "中华人民共和国国务院"), then lowercase letter/digit
runs. A story is one document per language it has text in; a term's weight in a document is
the sum of its field weights (title 3, summary and TL;DR 2, body 1), BM25F in its simplest form.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime

import duckdb
import pyarrow as pa
import rjieba

from archive.catalog.connection import SEARCH_TABLES
from archive.catalog.staging import arrow_view, insert_rows

log = logging.getLogger(__name__)

# The read tables the index lives in (published beside the other public tables).
LANGS = ("en", "zh")
K1, B = 1.2, 0.75
TITLE, SUMMARY, BODY = 3.0, 2.0, 1.0
_BATCH = 2000  # stories tokenised and written at a time: memory stays flat on a reindex
_WORD = re.compile(r"[^\W_]+")
_SNIPPET_CHARS = 160
# A search is one short statement a person waits for: it may use every core, unlike an analyst's
# session, which reads on one thread so an ingest beside it keeps its CPU (lake.READER_THREADS).
SEARCH_THREADS = os.cpu_count() or 1


def tokens(text: str) -> list[str]:
    """The index terms of `text`, in order (repeats kept): the same for documents and queries."""
    out: list[str] = []
    for piece in rjieba.cut_for_search(text):
        out.extend(_WORD.findall(piece.lower()))
    return out


def article_key(article_id: str) -> int:
    """A story's id as the 64-bit number its 16 hex digits spell: what the index joins on
    (an integer column scans and joins many times faster than text)."""
    return int(article_id, 16)


def query_terms(query: str) -> list[str]:
    """The distinct terms of a query, in the order typed."""
    return list(dict.fromkeys(tokens(query)))


@dataclass(frozen=True)
class Document:
    """One story in one language: its weighted term counts and weighted length."""

    article_id: str
    lang: str
    version: int
    captured_at: datetime
    weights: dict[str, float]

    @property
    def length(self) -> float:
        return sum(self.weights.values())


def documents(row: dict) -> Iterator[Document]:
    """The documents of one `article_versions` row: one per language that has text."""
    for lang in LANGS:
        fields = (
            (TITLE, [row[f"title_{lang}"]]),
            (SUMMARY, [row[f"summary_{lang}"], *(row[f"tldr_{lang}"] or [])]),
            (BODY, row[f"body_{lang}"] or []),
        )
        weights: Counter[str] = Counter()
        for weight, texts in fields:
            for text in texts:
                for term in tokens(text or ""):
                    weights[term] += weight
        if weights:
            yield Document(row["article_id"], lang, row["version"], row["captured_at"], weights)


# Rows found by their ids first (one narrow column scanned), then read whole by rowid: a
# snippet's lookup reads ten rows, not every version's body.
_TEXT_COLUMNS = ("title", "summary", "tldr", "body")


def _latest_versions(langs: Iterable[str] = LANGS) -> str:
    """The statement reading the latest version of each story in `search_batch`, with the text
    columns of `langs` only (a snippet needs one language's; bodies are most of what is read)."""
    texts = ", ".join(f"{c}_{lang}" for lang in sorted(langs) for c in _TEXT_COLUMNS)
    return _LATEST_VERSIONS.format(texts=texts)


_LATEST_VERSIONS = """
    SELECT article_id, version, captured_at, {texts}
    FROM article_versions
    WHERE rowid IN (
        SELECT rowid FROM article_versions
        WHERE article_id IN (SELECT article_id FROM search_batch)
    )
    QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY version DESC) = 1
"""
# The postings are kept sorted by term, so a query reads only the row groups of its terms
# (DuckDB skips the others by their min/max). New postings go to the end; once that unsorted
# tail passes this share of the index, the whole index is sorted again.
UNSORTED_SHARE = 0.1


def update_search_index(con: duckdb.DuckDBPyConnection) -> None:
    """Re-index the stories whose latest version this derivation made or replaced; the others
    keep their rows, so the cost follows the new versions (a reindex: every story). The sort
    that keeps queries fast is redone when the unsorted tail has grown past `UNSORTED_SHARE`.

    Reads: replaced, new_versions; article_versions, search_tail.
    Writes: search_documents, search_postings, search_tail."""
    touched = [
        article_id
        for (article_id,) in con.execute(
            "SELECT article_id FROM replaced UNION SELECT article_id FROM new_versions"
        ).fetchall()
    ]
    appended = index_stories(con, touched)
    if not appended:
        return
    tail = con.execute("SELECT coalesce(sum(postings), 0) FROM search_tail").fetchone()[0]
    total = con.execute("SELECT count(*) FROM search_postings").fetchone()[0]
    con.execute("DELETE FROM search_tail")
    if tail + appended > UNSORTED_SHARE * total:
        sort_postings(con)
    else:
        con.execute("INSERT INTO search_tail VALUES (?)", [tail + appended])


def sort_postings(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite `search_postings` in term order (the table's rows are unchanged)."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE search_sorted AS "
        "SELECT * FROM search_postings ORDER BY term, lang, article_key"
    )
    con.execute("DELETE FROM search_postings")
    con.execute("INSERT INTO search_postings SELECT * FROM search_sorted")
    con.execute("DROP TABLE search_sorted")


def index_stories(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> int:
    """(Re)write the index rows of these stories from their latest versions; returns how many
    postings were written."""
    ids = sorted(set(article_ids))
    log.info("search index: %d stories re-indexed", len(ids))
    written = 0
    for start in range(0, len(ids), _BATCH):
        chunk = ids[start : start + _BATCH]
        batch = pa.table(
            {
                "article_id": pa.array(chunk, pa.string()),
                "article_key": pa.array([article_key(a) for a in chunk], pa.uint64()),
            }
        )
        with arrow_view(con, "search_batch", batch):
            for table in SEARCH_TABLES:
                # table names are this module's constants
                con.execute(
                    f"DELETE FROM {table} "
                    "WHERE article_key IN (SELECT article_key FROM search_batch)"
                )
            cursor = con.execute(_latest_versions())
            columns = [d[0] for d in cursor.description]
            rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
        written += _write(con, [doc for row in rows for doc in documents(row)])
    return written


def _write(con: duckdb.DuckDBPyConnection, docs: list[Document]) -> int:
    insert_rows(
        con,
        "search_documents",
        pa.table(
            {
                "article_id": [d.article_id for d in docs],
                "article_key": pa.array([article_key(d.article_id) for d in docs], pa.uint64()),
                "lang": [d.lang for d in docs],
                "version": pa.array([d.version for d in docs], pa.int32()),
                "captured_at": pa.array([d.captured_at for d in docs], pa.timestamp("us", "UTC")),
                "length": pa.array([d.length for d in docs], pa.float64()),
            }
        ),
    )
    terms, ids, langs, weights, lengths = [], [], [], [], []
    for d in docs:
        key, length = article_key(d.article_id), d.length
        for term, weight in sorted(d.weights.items()):
            terms.append(term)
            ids.append(key)
            langs.append(d.lang)
            weights.append(weight)
            lengths.append(length)
    postings = pa.table(
        {
            "term": terms,
            "article_key": pa.array(ids, pa.uint64()),
            "lang": langs,
            "tf": pa.array(weights, pa.float64()),
            "doc_length": pa.array(lengths, pa.float64()),
        }
    )
    return insert_rows(con, "search_postings", postings.sort_by([("term", "ascending")]))


@dataclass(frozen=True)
class SearchHit:
    """One ranked story: both titles, where it lives, and the passage that matched."""

    article_id: str
    score: float
    lang: str
    title_en: str | None
    title_zh: str | None
    canonical_url: str
    site: str | None
    captured_at: datetime | None  # the latest version's, read with the snippet
    matched: list[str]
    snippet: str = ""
    marks: list[tuple[int, int]] = field(default_factory=list)

    def marked_snippet(self, left: str = "[", right: str = "]") -> str:
        """The snippet with each matched word between `left` and `right`."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.snippet[last:start], left, self.snippet[start:end], right]
            last = end
        out.append(self.snippet[last:])
        return "".join(out)

    def to_json_dict(self) -> dict:
        data = asdict(self)
        data.pop("marks")
        data["snippet"] = self.marked_snippet()
        data["captured_at"] = self.captured_at.isoformat()
        return data


# BM25 (Robertson/Sparck Jones idf, as Lucene) per language document; a story scores as its
# best language. Document frequencies count the whole index, filters apply to the ranking only.
# Ranking reads the postings of the query's terms and nothing per document: each posting carries
# its document's length, so no join with every document is needed (on the lake, where each
# table a statement names costs a round of catalog reads, that join was half the query). Only
# the filters given are part of the statement; the capture time comes with the snippet's row.
_SEARCH_SQL = """
WITH q AS (SELECT unnest($terms::VARCHAR[]) AS term),
stats AS (
    SELECT lang, count(*) AS n, avg(length) AS avgdl FROM search_documents GROUP BY lang
),
hits AS (
    SELECT p.term, p.article_key, p.lang, p.tf, p.doc_length FROM search_postings p
    WHERE p.term IN (SELECT term FROM q) {lang}
),
df AS (SELECT term, lang, count(*) AS df FROM hits GROUP BY term, lang),
scored AS (
    SELECT h.article_key, h.lang,
           sum(ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5))
               * h.tf * ($k1 + 1) / (h.tf + $k1 * (1 - $b + $b * h.doc_length / s.avgdl)))
               AS score,
           list(h.term ORDER BY h.term) AS matched
    FROM hits h
    JOIN df USING (term, lang)
    JOIN stats s USING (lang)
    GROUP BY h.article_key, h.lang
),
best AS (
    SELECT article_key, max(score) AS score, arg_max(lang, score) AS lang,
           arg_max(matched, score) AS matched
    FROM scored GROUP BY article_key
),
ranked AS (
    SELECT printf('%016x', b.article_key) AS article_id, b.score, b.lang, b.matched
    FROM best b
    WHERE true {since} {site} {kind}
    ORDER BY b.score DESC, b.article_key
    LIMIT $limit
)
SELECT r.article_id, r.score, r.lang, a.title_en, a.title_zh, a.canonical_url, a.site,
       r.matched
FROM ranked r JOIN articles a USING (article_id)
ORDER BY r.score DESC, r.article_id
"""
_FILTERS = {
    "lang": "AND p.lang = $lang",
    "since": """AND b.article_key IN (
            SELECT article_key FROM search_documents WHERE captured_at >= $since)""",
    "site": """AND printf('%016x', b.article_key) IN (
            SELECT article_id FROM articles WHERE site = $site)""",
    "kind": """AND printf('%016x', b.article_key) IN (
            SELECT article_id FROM changes
            WHERE kind = $kind AND ($since IS NULL OR detected_at >= $since))""",
}


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    lang: str | None = None,
    site: str | None = None,
    since: datetime | None = None,
    kind: str | None = None,
    limit: int = 10,
) -> list[SearchHit]:
    """The stories that best match `query`, best first, each with a highlighted snippet.

    `lang` keeps one language's text; `site` one profile; `since` stories whose latest version
    was captured at or after it; `kind` stories with a change of that kind (since `since`).
    Ranking and snippets are read in one transaction of their own (the caller holds none):
    one snapshot of the lake for both, and its catalog read once."""
    terms = query_terms(query)
    if not terms:
        return []
    given = {"lang": lang, "site": site, "since": since, "kind": kind}
    sql = _SEARCH_SQL.format(**{k: _FILTERS[k] if v is not None else "" for k, v in given.items()})
    params = {"terms": terms, **{k: v for k, v in given.items() if v is not None},
              "limit": limit, "k1": K1, "b": B}  # fmt: skip
    if kind is not None:
        params["since"] = since
    con.execute("BEGIN")
    try:
        cursor = con.execute(sql, params)
        columns = [d[0] for d in cursor.description]
        hits = [
            SearchHit(**dict(zip(columns, row, strict=True)), captured_at=None)
            for row in cursor.fetchall()
        ]
        return _with_snippets(con, hits, terms)
    finally:
        con.execute("ROLLBACK")  # a read: nothing to keep, and it ends an aborted one too


def _with_snippets(
    con: duckdb.DuckDBPyConnection, hits: list[SearchHit], terms: list[str]
) -> list[SearchHit]:
    if not hits:
        return hits
    batch = pa.table({"article_id": pa.array([h.article_id for h in hits], pa.string())})
    with arrow_view(con, "search_batch", batch):
        cursor = con.execute(_latest_versions({h.lang for h in hits}))
        columns = [d[0] for d in cursor.description]
        latest = {r[0]: dict(zip(columns, r, strict=True)) for r in cursor.fetchall()}
    wanted = set(terms)
    out = []
    for hit in hits:
        row = latest.get(hit.article_id, {})
        passages = _passages(row, hit.lang)
        snippet, marks = best_passage(passages, wanted)
        out.append(
            SearchHit(**{**asdict(hit), "captured_at": row.get("captured_at"),
                         "snippet": snippet, "marks": marks})
        )  # fmt: skip
    return out


def _passages(row: dict, lang: str) -> list[str]:
    """The texts a snippet may come from: summary, TL;DR, body, then the title."""
    texts = [row.get(f"summary_{lang}"), *(row.get(f"tldr_{lang}") or [])]
    texts += [*(row.get(f"body_{lang}") or []), row.get(f"title_{lang}")]
    return [t for t in texts if t]


def best_passage(passages: Iterable[str], wanted: set[str]) -> tuple[str, list[tuple[int, int]]]:
    """The passage holding most distinct query terms, cut to a window around its first match,
    and the spans of the matched words in it."""
    best, best_marks, best_count = "", [], 0
    for text in passages:
        spans, found = [], set()
        for word, start, end in rjieba.tokenize(text, mode="search"):
            hit = {n for n in _WORD.findall(word.lower()) if n in wanted}
            if hit:
                spans.append((start, end))
                found |= hit
        marks = _merged(spans)
        if len(found) > best_count or not best:
            best, best_marks, best_count = text, marks, len(found)
    return _window(best, best_marks)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans (search segmentation yields words inside words) as one span each."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _window(text: str, marks: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    if len(text) <= _SNIPPET_CHARS:
        return text, marks
    first = marks[0][0] if marks else 0
    start = max(0, min(first - _SNIPPET_CHARS // 4, len(text) - _SNIPPET_CHARS))
    end = start + _SNIPPET_CHARS
    head, tail = ("…" if start else ""), ("…" if end < len(text) else "")
    shift = len(head) - start
    kept = [(s + shift, e + shift) for s, e in marks if s >= start and e <= end]
    return head + text[start:end] + tail, kept
