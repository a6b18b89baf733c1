"""Implementation matrices and partner tables: column roles from header words, ties from rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Doc

from graph_schema.model import RelationKind
from nlp.relations.mentions import LinkedMention, RawRelation
from nlp.relations.syntax import _unique
from nlp.relations.vocab import _ACTOR_LABELS, _POLICY_LABELS

# Implementation matrices and partner tables: header words that give a column its role.
_LEAD_COLS = (
    "lead",
    "responsible",
    "implementing",
    "implemented by",
    "executing",
    "in charge",
    "owner",
    "responsable",
    "ejecutor",
    "a cargo",
    "encargad",
)


_PARTNER_COLS = ("partner", "support", "with", "socio", "colabor", "apoyo", "aliad")


_FUNDER_COLS = (
    "funded by",
    "funder",
    "donor",
    "funding source",
    "source of fund",
    "financed by",
    "financiado",
    "fuente de financ",
    "financiador",
)


_NUMBER_COLS = ("no", "no.", "#", "n°", "nº", "núm.", "ref", "id")


def is_table(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return len(lines) >= 2 and all(ln.lstrip().startswith("|") for ln in lines[:2])


def _cells(line: str, offset: int) -> list[tuple[str, int, int]]:
    """(text, start, end) of each cell of a "| a | b |" row, as passage offsets."""
    out: list[tuple[str, int, int]] = []
    bars = [i for i, ch in enumerate(line) if ch == "|"]
    for a, b in pairwise(bars):
        out.append((line[a + 1 : b].strip(), offset + a + 1, offset + b))
    return out


def _role(header: str) -> str | None:
    h = header.lower()
    for role, words in (("funder", _FUNDER_COLS), ("lead", _LEAD_COLS), ("partner", _PARTNER_COLS)):
        if any(w in h for w in words):
            return role
    return None


@dataclass(frozen=True)
class TableRow:
    """One data row of a "| a | b |" table: its span and each cell's (start, end, role) in
    passage characters; the item column (what the row is about) has role "item"."""

    start: int
    end: int
    cells: tuple[tuple[int, int, str | None], ...]


def table_rows(text: str) -> list[TableRow]:
    """The data rows of a table passage with the role of each cell (header words decide:
    lead, partner, funder; the first non-number column is the row's item)."""
    lines: list[tuple[str, int]] = []
    pos = 0
    for ln in text.split("\n"):
        lines.append((ln, pos))
        pos += len(ln) + 1
    rows = [(ln, off) for ln, off in lines if ln.strip().startswith("|")]
    if len(rows) < 2:
        return []
    header = _cells(*rows[0])
    roles: list[str | None] = [_role(h) for h, _, _ in header]
    item = next(
        (i for i, (h, _, _) in enumerate(header) if h.lower().strip() not in _NUMBER_COLS), 0
    )
    # "| Partner | ... | Funded by |": the row is about its partner, whatever its header says
    roles[item] = "item"
    out: list[TableRow] = []
    for ln, off in rows[1:]:
        if set(ln.replace("|", "").strip()) <= set("-: "):
            continue  # the |---|---| separator
        cells = tuple(
            (c_start, c_end, roles[ci] if ci < len(roles) else None)
            for ci, (_, c_start, c_end) in enumerate(_cells(ln, off))
        )
        out.append(TableRow(off, off + len(ln), cells))
    return out


def _table_relations(
    doc: Doc, mentions: Sequence[LinkedMention], international: frozenset[str]
) -> list[RawRelation]:
    """Implementation matrices: the lead (and national or local partners) carry out the row's
    programme, partners work with the lead, a funder column funds the row's body or
    programme. International partners support rather than deliver."""
    out: list[RawRelation] = []
    for row in table_rows(doc.text):
        by_role: dict[str | None, list[LinkedMention]] = defaultdict(list)
        subject: list[LinkedMention] = []
        for c_start, c_end, role in row.cells:
            inside = _unique(
                [m for m in mentions if c_start <= m.span.start_char and m.span.end_char <= c_end]
            )
            if role == "item":
                subject = inside
            else:
                by_role[role].extend(m for m in inside if m.label in _ACTOR_LABELS)
        progs = [m for m in subject if m.label in _POLICY_LABELS]
        row_actors = [m for m in subject if m.label in _ACTOR_LABELS]
        leads, partners, funders = by_role["lead"], by_role["partner"], by_role["funder"]
        quote = (row.start, row.end)

        def rel(
            kind: RelationKind,
            s: LinkedMention,
            t: LinkedMention,
            cue: str,
            quote: tuple[int, int] = quote,
        ) -> None:
            if s.entity_id != t.entity_id:
                out.append(
                    RawRelation(
                        kind,
                        s.entity_id,
                        s.label,
                        t.entity_id,
                        t.label,
                        0.55,
                        f"table: {cue}",
                        *quote,
                    )
                )

        doers = [*leads, *(m for m in partners if m.entity_id not in international)]
        for p in progs:
            for a in doers:
                rel(RelationKind.implements, a, p, "lead/partner column")
        for a in leads:
            for b in partners:
                rel(RelationKind.partnership, a, b, "lead and partner columns")
        for f in funders:
            # "Directorate (DCF), City Council": the row's body is the first one named
            for t in row_actors[:1] or progs or leads:
                rel(RelationKind.funding, f, t, "funder column")
    return out
