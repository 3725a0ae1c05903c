"""The README and docs/DESIGN.md name only files that exist, and the README's layout names every
module.

A newcomer finds their way by the docs, so a stale path sends them to a file that is not there,
and a module the layout leaves out is a room nobody told them about. Paths are found as text
(backticked or not) wherever they start with one of the repository's top-level folders; the
layout's tree block is read by indentation, one entry a line: `name/` for a folder, a file name
for a module, then its description.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DESIGN = ROOT / "docs" / "DESIGN.md"

TOP_FOLDERS = ("archive", "crawlers", "flows", "tests", "benchmarks", "docs", "tools")
PACKAGES = ("archive", "crawlers", "flows")
# The demo sites are one room of the house: the layout names the package, not its modules.
LAYOUT_SKIPS = ("flows/demo_sites/",)

_PATH = re.compile(rf"(?<![\w./-])(?:{'|'.join(TOP_FOLDERS)})/[\w./*-]*")
_MODULE_NAME = re.compile(r"(?<![\w./-])[a-z_][a-z0-9_]*\.py\b")
_DOTTED = re.compile(rf"`((?:{'|'.join(PACKAGES)})(?:\.\w+)+)")
# `archive.duckdb` is a file name, not a Python name
_FILE_SUFFIXES = {"duckdb", "tmp", "sql", "toml", "json", "html", "gz", "py", "sh", "md"}
_TREE_LINE = re.compile(r"^( *)(\S+)")


def section(markdown: str, heading: str) -> str:
    """The text under `## heading`, up to the next heading of that level."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.S | re.M)
    assert match, f"no '## {heading}' section"
    return match.group(1)


def tree_paths(layout: str) -> list[str]:
    """Paths of the layout's fenced tree: each line's first word, under the folders above it."""
    block = re.search(r"^```\n(.*?)^```", layout, re.S | re.M)
    assert block, "the layout section has no ``` tree block"
    paths, parents = [], []  # parents: (indent, folder path) of the open folders
    for line in block.group(1).splitlines():
        match = _TREE_LINE.match(line)
        if not match:
            continue
        indent, name = len(match.group(1)), match.group(2)
        while parents and parents[-1][0] >= indent:
            parents.pop()
        path = (parents[-1][1] if parents else "") + name
        paths.append(path)
        if name.endswith("/"):
            parents.append((indent, path))
    return paths


def named_paths(text: str) -> set[str]:
    """Repository paths in running text, without the sentence's punctuation after them."""
    return {m.rstrip(".,:;") for m in _PATH.findall(text)}


def exists(path: str) -> bool:
    if "*" in path:
        return any(ROOT.glob(path))
    return (ROOT / path).exists()


def defined_in(dotted: str) -> bool:
    """`archive.catalog.connection.open_catalog`: the longest prefix that is a module, and the
    rest (if any) a name that module defines (a def, a class or an assignment)."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        base = ROOT.joinpath(*parts[:cut])
        module = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if module.is_file():
            rest = parts[cut:]
            if not rest:
                return True
            pattern = rf"^(?:def|class|async def) {rest[0]}\b|^{rest[0]}\b\s*[:=]"
            return bool(re.search(pattern, module.read_text(), re.M))
    return False


def repository_modules() -> set[str]:
    """Every .py module of the three packages, as the layout must name it."""
    modules = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if path.name in ("__init__.py", "__main__.py") or relative.startswith(LAYOUT_SKIPS):
                continue
            modules.add(relative)
    return modules


def _basenames() -> set[str]:
    skip = {".venv", ".venv-pywb", ".tools", ".git", "data", "node_modules"}
    names = set()
    for top in ROOT.iterdir():
        if top.name in skip or not top.is_dir():
            continue
        names.update(p.name for p in top.rglob("*.py"))
    return names


def test_every_path_in_the_readme_exists():
    readme = README.read_text()
    missing = sorted(p for p in named_paths(readme) if not exists(p))
    assert not missing, f"README.md names paths that do not exist: {missing}"


def test_every_path_in_the_readme_layout_tree_exists():
    missing = [p for p in tree_paths(section(README.read_text(), "Layout")) if not exists(p)]
    assert not missing, f"README.md's layout tree names paths that do not exist: {missing}"


def test_every_path_in_design_exists():
    missing = sorted(p for p in named_paths(DESIGN.read_text()) if not exists(p))
    assert not missing, f"docs/DESIGN.md names paths that do not exist: {missing}"


def test_every_module_name_in_the_docs_is_a_module_somewhere():
    """A bare `looks.py` in prose must still be a file of that name (old names like
    `story_looks.py` are gone)."""
    known = _basenames()
    for doc in (README, DESIGN):
        stale = sorted(set(_MODULE_NAME.findall(doc.read_text())) - known)
        assert not stale, f"{doc.name} names modules that exist nowhere: {stale}"


def test_every_dotted_name_in_the_docs_is_defined():
    for doc in (README, DESIGN):
        names = [
            d for d in _DOTTED.findall(doc.read_text()) if d.split(".")[1] not in _FILE_SUFFIXES
        ]
        stale = sorted(d for d in names if not defined_in(d))
        assert not stale, f"{doc.name} names modules or functions that do not exist: {stale}"


def test_the_readme_layout_names_every_module():
    layout = section(README.read_text(), "Layout")
    named = set(tree_paths(layout)) | named_paths(layout)
    unnamed = sorted(repository_modules() - named)
    assert not unnamed, f"README.md's layout section does not name: {unnamed}"


def test_the_tree_reader_follows_indentation():
    layout = (
        "```\narchive/  the archive\n  warc/  WARC\n    writer.py  writes\n  errors.py\nrun\n```\n"
    )
    assert tree_paths(layout) == [
        "archive/",
        "archive/warc/",
        "archive/warc/writer.py",
        "archive/errors.py",
        "run",
    ]


def contract_table() -> str:
    """docs/DESIGN.md's derivation contract, rendered from the steps the code runs."""
    from archive.stories.derive import STEPS

    def names(tables) -> str:
        return ", ".join(f"`{t}`" for t in tables) or "—"

    rows = [
        "| # | Step | Module | Reads (temp) | Writes (temp) | Scratch | Changes (catalog) |",
        "|---|---|---|---|---|---|---|",
    ]
    for number, step in enumerate(STEPS, 1):
        module = step.fn.__module__.rpartition(".")[2] + ".py"
        warcs = " (+ WARC files)" if step.reads_warcs else ""
        rows.append(
            f"| {number} | `{step.name}`{warcs} | {module} | {names(step.reads)} | "
            f"{names(step.writes)} | {names(step.scratch)} | {names(step.changes)} |"
        )
    return "\n".join(rows)


def test_design_states_the_derivation_contract_as_the_code_runs_it():
    table = contract_table()

    assert table in DESIGN.read_text(encoding="utf-8"), (
        "docs/DESIGN.md's 'Derivation contract' table differs from archive.stories.derive.STEPS;"
        f" replace it with:\n\n{table}\n"
    )
