"""The layers stay layers: data flows crawl -> WARC -> catalog -> stories, and no module imports
a layer above its own (docs/DESIGN.md, "Layers"). Read from the source, so a stray import fails
here before it becomes a habit."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# package prefix -> the newsarc modules (prefixes) it may import
MAY_IMPORT = {
    "archive.warc": ("archive.errors", "archive.warc"),
    "archive.catalog": ("archive.errors", "archive.warc", "archive.catalog"),
    "archive.stories": ("archive.errors", "archive.warc", "archive.catalog", "archive.stories"),
    "archive": (),  # the package itself: nothing
    "archive.errors": (),
    "crawlers": ("archive.errors", "archive.warc", "archive.catalog.window", "crawlers"),
    "flows.demo_sites": ("flows.demo_sites",),
    "flows": ("archive", "crawlers", "flows"),
}
OURS = ("archive", "crawlers", "flows", "tests", "benchmarks")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    return max((p for p in MAY_IMPORT if module == p or module.startswith(p + ".")), key=len)


def imported(path: Path, module: str) -> set[str]:
    """Every newsarc module `path` imports, relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names |= {f"{base}.{alias.name}" for alias in node.names} | {base}
    return {n for n in names if n.split(".")[0] in OURS}


def allowed(name: str, prefixes: tuple[str, ...]) -> bool:
    # `from archive.catalog import window` names the package on the way to an allowed module
    return any(name == p or name.startswith(p + ".") or p.startswith(name + ".") for p in prefixes)


PRODUCT = sorted(
    p for package in ("archive", "crawlers", "flows") for p in (ROOT / package).rglob("*.py")
)


@pytest.mark.parametrize("path", PRODUCT, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_imports_only_its_own_layer_and_those_below(path):
    module = module_name(path)
    rules = MAY_IMPORT[layer_of(module)]

    wrong = sorted(name for name in imported(path, module) if not allowed(name, rules))

    assert wrong == [], f"{module} ({layer_of(module)}) may import only {rules}"


def test_the_rules_catch_an_upward_import(tmp_path):
    module = "archive.warc.example"
    path = tmp_path / "example.py"
    path.write_text("from archive.stories.extract import extract\nfrom . import records\n")

    names = imported(path, module)

    assert names == {"archive.stories.extract", "archive.stories.extract.extract",
                     "archive.warc", "archive.warc.records"}  # fmt: skip
    assert [n for n in sorted(names) if not allowed(n, MAY_IMPORT["archive.warc"])] == [
        "archive.stories.extract",
        "archive.stories.extract.extract",
    ]
