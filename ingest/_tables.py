"""One text form for every table, whatever format it came from.

Tables become Markdown-style pipe tables: the first row is the header, then a ``---``
rule, then one line per row. Readers keep the row/column structure, LLM and rule-based
extractors both read it, and a Markdown table in a .md file already has this form.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MAX_TABLE_ROWS", "render_table", "render_table_chunks", "table_is_useful"]

MAX_TABLE_ROWS = 30  # rows per table passage; the header row is repeated in each


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


def table_is_useful(rows: Sequence[Sequence[str | None]]) -> bool:
    """At least two rows and two columns with text, and not mostly empty cells."""
    grid = [[_cell(c) for c in row] for row in rows]
    grid = [row for row in grid if any(row)]
    if len(grid) < 2:
        return False
    width = max(len(row) for row in grid)
    grid = [row + [""] * (width - len(row)) for row in grid]
    used = [j for j in range(width) if any(row[j] for row in grid)]
    cells = [row[j] for row in grid for j in used]
    filled = sum(1 for c in cells if c)
    letters = sum(1 for c in cells for ch in c if ch.isalpha())
    return len(used) >= 2 and filled >= 0.15 * len(cells) and letters > 0


def render_table_chunks(rows: Sequence[Sequence[str | None]]) -> list[str]:
    """Long tables in several pieces of MAX_TABLE_ROWS rows, each with the header row."""
    cleaned = [list(row) for row in rows if any(_cell(c) for c in row)]
    if len(cleaned) <= MAX_TABLE_ROWS + 1:
        text = render_table(cleaned)
        return [text] if text else []
    header, body = cleaned[0], cleaned[1:]
    return [
        render_table([header, *body[i : i + MAX_TABLE_ROWS]])
        for i in range(0, len(body), MAX_TABLE_ROWS)
    ]
