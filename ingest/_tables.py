"""One text form for every table, whatever format it came from.

Tables become Markdown-style pipe tables: the first row is the header, then a ``---``
rule, then one line per row. Readers keep the row/column structure, LLM and rule-based
extractors both read it, and a Markdown table in a .md file already has this form.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["render_table"]


def _cell(value: str | None) -> str:
    return " ".join((value or "").replace("|", "/").split())


def render_table(rows: Sequence[Sequence[str | None]]) -> str:
    """Pipe-table text for ``rows``; empty rows and empty columns are dropped."""
    cleaned = [[_cell(c) for c in row] for row in rows]
    cleaned = [row for row in cleaned if any(row)]
    if not cleaned:
        return ""
    width = max(len(row) for row in cleaned)
    cleaned = [row + [""] * (width - len(row)) for row in cleaned]
    keep = [j for j in range(width) if any(row[j] for row in cleaned)]
    cleaned = [[row[j] for j in keep] for row in cleaned]
    lines = ["| " + " | ".join(cleaned[0]) + " |", "|" + "---|" * len(keep)]
    lines.extend("| " + " | ".join(row) + " |" for row in cleaned[1:])
    return "\n".join(lines)
