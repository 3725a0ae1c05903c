"""Deriving the analyst tables (articles, versions, changes, URLs, near-duplicates) incrementally.

The derivation is the ordered list `STEPS`: named functions that talk to each other only
through connection-scoped temp tables, each declaring which it reads and which it writes (a
test runs them one by one and checks the declarations against the connection). In order:

1. the new WARC files' sightings, grouping signals and sitemap lastmods (sightings.py);
2. the URL grouping of the stories the new signals touch (grouping.py), and the sites'
   boilerplate paragraphs, left out of the fingerprints (boilerplate.py);
3. versions and changes of every story the new captures show, in SQL, continuing from each
   story's stored state (looks.py), and the new versions' rows (versions.py);
4. the rows stored in the analyst tables (store.py);
5. near-duplicates of the stories whose text changed, and declared copies of the stories whose
   text or copy relations changed (near.py);
6. the search index of the stories whose latest version changed (search.py).

The stories and WARC files whose public rows were written are logged (store.py) for the next
publication to the lake, which then compares only their rows.

All of it runs in one transaction. The cost follows what was newly captured, not the size of
the archive. A reindex is the same code with every file new, so incremental ingest and reindex
give the same tables, and deriving twice changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from archive.stories import looks, store
from archive.stories.boilerplate import apply_boilerplate, learn_boilerplate
from archive.stories.grouping import regroup_stories
from archive.stories.near import update_near_duplicates
from archive.stories.search import update_search_index
from archive.stories.sightings import (
    mark_derived,
    record_page_signals,
    record_sightings,
    record_sitemap_lastmods,
    stage_new_files,
    underived_files,
)
from archive.stories.versions import stage_version_rows

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """One named step of the derivation and the temp tables it shares with the others.

    `reads`: temp tables an earlier step must have written. `writes`: temp tables it leaves
    for later steps (made every time it runs). `scratch`: temp tables it may make for its own
    use only. `changes`: catalog tables it writes. `reads_warcs`: it is also given the WARC
    directory."""

    fn: Callable[..., None]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    scratch: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    reads_warcs: bool = False

    @property
    def name(self) -> str:
        return self.fn.__name__

    def run(self, con: duckdb.DuckDBPyConnection, warc_dir: Path) -> None:
        if self.reads_warcs:
            self.fn(con, warc_dir)
        else:
            self.fn(con)


STEPS: tuple[Step, ...] = (
    # 1. what the new WARC files show
    Step(stage_new_files, writes=("new_files",)),
    Step(record_sightings, reads=("new_files",), writes=("new_sightings", "revisits"),
         changes=("sightings",)),
    Step(record_page_signals, reads=("new_files",), writes=("novel_signals",),
         changes=("page_signals",)),
    Step(record_sitemap_lastmods, reads=("new_files",), changes=("sitemap_lastmods",),
         reads_warcs=True),
    # 2. which pages are one story; which paragraphs are a site's furniture
    Step(regroup_stories, reads=("novel_signals",),
         writes=("regrouped_keys", "dropped_keys", "recopied_keys"),
         scratch=("touched_nodes", "component_nodes", "linked_nodes"),
         changes=("story_urls", "story_copies")),
    Step(learn_boilerplate, reads=("regrouped_keys", "novel_signals"),
         writes=("regrouped_nodes", "fresh_paragraphs", "boilerplate_nodes",
                 "touched_paragraphs"),
         scratch=("recounted", "boilerplate_moved"),
         changes=("site_paragraphs", "site_boilerplate")),
    Step(apply_boilerplate, reads=("new_sightings", "boilerplate_nodes"),
         writes=("site_boilerplate_lists",), changes=("sightings",)),
    # 3. versions and changes of the stories the new captures show
    Step(looks.stage_scope, reads=("regrouped_keys", "boilerplate_nodes", "new_sightings"),
         writes=("rebuilt_keys", "scope", "scope_urls", "scope_nodes")),
    Step(store.stage_replaced, reads=("dropped_keys", "scope"), writes=("replaced",)),
    Step(looks.stage_look_input, reads=("scope", "scope_nodes", "scope_urls", "new_sightings"),
         writes=("look_input",)),
    Step(looks.stage_stored_state, reads=("scope",), writes=("state",)),
    Step(looks.stage_own_sightings, reads=("scope", "state", "look_input"), writes=("own",)),
    Step(looks.group_looks, reads=("own",), writes=("looks",)),
    Step(looks.stage_look_pages, reads=("own", "looks", "state"), writes=("look_pages",)),
    Step(looks.merge_look_pages, reads=("looks", "look_pages"), writes=("merged",)),
    Step(looks.stage_fingerprint_lists, reads=("state", "merged"), writes=("lists",)),
    Step(looks.sequence_looks, reads=("state", "looks", "merged"), writes=("seq",)),
    Step(looks.stage_versions_made, reads=("seq", "lists"), writes=("versions_made",)),
    Step(looks.decide_claims, reads=("seq", "scope_urls"), writes=("claims",)),
    Step(looks.stage_new_versions, reads=("versions_made",), writes=("new_versions",)),
    Step(looks.stage_new_changes, reads=("seq", "claims", "versions_made"),
         writes=("new_changes",)),
    Step(looks.stage_new_state, reads=("look_input", "lists", "seq", "own", "state"),
         writes=("new_state",)),
    Step(stage_version_rows, reads=("new_versions", "site_boilerplate_lists"),
         writes=("version_sources", "clean_bodies", "source_values", "version_values",
                 "version_rows", "pair_rows")),
    # 4. the analyst tables
    Step(store.stage_new_articles, reads=("look_input", "version_rows", "scope", "new_state"),
         writes=("new_articles",)),
    Step(store.clear_replaced, reads=("replaced",),
         changes=("article_versions", "paragraph_pairs", "article_captures", "changes",
                  "story_state", "story_pages")),
    Step(store.store_articles, reads=("replaced", "new_articles", "new_versions"),
         changes=("articles",)),
    Step(store.store_story_state, reads=("new_state", "scope"), changes=("story_state",)),
    Step(store.store_story_pages, reads=("new_state", "look_pages"), changes=("story_pages",)),
    Step(store.store_versions, reads=("version_rows", "pair_rows", "new_state"),
         changes=("article_versions", "paragraph_pairs")),
    Step(store.store_changes, reads=("new_changes", "version_rows", "new_state"),
         changes=("changes",)),
    Step(store.store_article_captures, reads=("look_input", "new_state"),
         changes=("article_captures",)),
    Step(store.store_article_urls, reads=("replaced", "scope", "new_state"),
         changes=("article_urls",)),
    # 5. near-duplicates and copies
    Step(store.stage_resketch, reads=("replaced", "new_versions", "recopied_keys"),
         writes=("resketch",)),
    Step(update_near_duplicates, reads=("resketch",), scratch=("near_others",),
         changes=("near_duplicates", "story_bands")),
    Step(mark_derived, reads=("new_files", "scope"), changes=("derived_warcs",)),
    Step(store.log_touched_keys, reads=("new_files", "scope", "replaced", "resketch"),
         changes=("lake_touched_stories", "lake_touched_files")),
    # 6. search
    Step(update_search_index, reads=("replaced", "new_versions"), scratch=("search_sorted",),
         changes=("search_documents", "search_postings", "search_tail")),
)  # fmt: skip


def derive_story_tables(con: duckdb.DuckDBPyConnection, warc_dir: Path) -> dict[str, int]:
    """Fold the captures of WARC files not derived yet into the story tables, atomically.
    Returns how many rows each public table gained or changed."""
    files = underived_files(con)
    if not files:
        return {}
    con.execute("BEGIN TRANSACTION")
    try:
        for step in STEPS:
            step.run(con, warc_dir)
        counts = derived_counts(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    log.info("derived %d WARC files: %s", len(files), counts)
    return counts


def derived_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What the derivation just made, from its temp tables."""
    counted = {
        "articles": "new_articles",
        "article_versions": "version_rows",
        "changes": "new_changes",
        "article_captures": "look_input",
        "stories_continued": "scope WHERE NOT rebuild",
        "stories_rebuilt": "scope WHERE rebuild",
    }
    # the FROM clauses are this function's constants
    return {
        name: con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
        for name, source in counted.items()
    }
