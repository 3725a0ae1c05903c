"""Readable diffs between two versions of a story: paragraph by paragraph, per field and language.

Change detection itself is set-based SQL (archive/stories/looks.py); this is the text work for the
few versions that are edits, and for the HTML report.
"""

from __future__ import annotations

import difflib


def field_paragraphs(value: object) -> list[str]:
    """A field as the paragraphs (lines) a diff compares: FAQ pairs and tables flattened. An
    FAQ entry's missing language (a NULL in its typed column) is no line."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [f"{k}: {v}" for k, v in sorted(value.items()) if v is not None]
    if isinstance(value, list | tuple):
        return [line for item in value for line in field_paragraphs(item)]
    return [str(value)]


def version_diff(old: dict, new: dict, fields: tuple[str, ...]) -> str:
    """Paragraph-level diff of the changed fields, each labelled with its field and language."""
    parts = []
    for name in fields:
        lines = difflib.unified_diff(
            field_paragraphs(old.get(name)), field_paragraphs(new.get(name)), lineterm="", n=0
        )
        body = [line for line in lines if not line.startswith(("---", "+++", "@@"))]
        if body:
            parts.append(f"[{name}]\n" + "\n".join(body))
    return "\n".join(parts)
