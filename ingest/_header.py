"""The header block above a transcript's conversation, read into fields, never into turns.

A header is where a transcript says what it is: ``Date: ...`` lines, a ``| key | value |``
table (with continuation rows whose key cell is empty), a participant list
(``P1 - Programme coordinator, Tumaini Recovery Outreach (male, 30s)``), a speaker legend
(``Speaker 2 = Dr. T. Ibarra, coordinador de la UNAIA``). Without a ``---``
line under it, the header ends where the conversation starts: at the first label that
recurs exactly as written, with the same separator. A label above that line speaks once
(``Moderator: N. Wafula (KMU)`` over a conversation of ``MODERATOR:`` turns,
``P1 - ...`` over ``P1:`` turns, ``FGD-04: Community ...``) and is a field of the header.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ._labels import LabelHit
from ._roles import NUMBERED_RESPONDENT, base_label

__all__ = ["LISTED_PREFIX", "Line", "conversation_start", "read_fields"]

# Key of a header field that describes one listed speaker: "participant p1".
LISTED_PREFIX = "participant "


@dataclass(frozen=True, slots=True)
class Line:
    text: str  # without line number, right-stripped
    page: int | None
    indent: int

    @property
    def blank(self) -> bool:
        return not self.text.strip()


_FIELD = re.compile(r"^([^\W\d_][\w .’'/()&-]{0,30}?)\s*:\s+(\S.*)$")
_TABLE_ROW = re.compile(r"^\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|?\s*$")
_TABLE_RULE = re.compile(r"^\s*[+|]?[-=+| ]*[-=]{3,}[-=+| ]*$")
# A speaker legend: "Speaker 2 = Dr. T. Ibarra, coordinador de la UNAIA" (a transcription
# service's key to its own labels): the label, then "=" and who speaks under it.
_LEGEND = re.compile(r"^([^\W\d_][\w .’'-]{0,30}?)\s+=\s+(\S.*)$")


def conversation_start(hits: dict[int, LabelHit]) -> int:
    """Index of the first line whose label recurs as written: the header is above it."""
    counts = Counter((h.label, h.separator) for h in hits.values())
    return next((i for i, h in sorted(hits.items()) if counts[h.label, h.separator] >= 2), 0)


def read_fields(
    lines: list[Line], hits: dict[int, LabelHit] | None = None
) -> tuple[dict[str, str], list[str], set[int]]:
    """Fields (keys lower-cased), the loose lines (title, prose), and the field lines' indexes.

    ``hits`` are the label-shaped lines of the block: a listed speaker's line
    (``P1 - ...``) becomes the field ``participant p1``.
    """
    hits = hits or {}
    fields: dict[str, str] = {}
    loose: list[str] = []
    used: set[int] = set()
    key: str | None = None
    for i, line in enumerate(lines):
        text = line.text.strip()
        if line.blank:
            key = None
            continue
        if _TABLE_RULE.match(text):
            used.add(i)
            continue
        if row := _TABLE_ROW.match(text):
            cell, value = row.group(1).strip(), row.group(2).strip()
            if cell:
                key = cell.lower()
                fields[key] = value
            elif key is not None and value:
                fields[key] = f"{fields[key]} {value}".strip()
            used.add(i)
            continue
        hit = hits.get(i)
        if (
            hit is not None
            and hit.rest
            and (hit.separator != ":" or NUMBERED_RESPONDENT.match(base_label(hit.label)))
        ):
            key = LISTED_PREFIX + hit.label.lower()
            fields[key] = hit.rest
        elif m := _LEGEND.match(text):
            key = LISTED_PREFIX + m.group(1).strip().lower()
            fields[key] = m.group(2).strip()
        elif m := _FIELD.match(text):
            key = m.group(1).strip().lower()
            fields[key] = m.group(2).strip()
        elif key is not None and line.indent >= 4:
            fields[key] += " " + text
        else:
            key = None
            loose.append(text)
            continue
        used.add(i)
    return fields, loose, used
