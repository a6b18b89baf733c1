"""A tie's theme -> works_on for the bodies it ties.

"The Trust has never worked with the Association on domestic violence" is a statement about
gender-based violence: both bodies it ties are active on that theme, though only one is the
sentence's subject (which is all ``theme_relations`` credits). The theme is the one named
nearest to the statement, over the levels in use (``statement_themes.STATEMENT_LEVELS``:
the sentence; the question it answers and its section heading are read when those levels
are on, e.g. "En temas de violencia contra las mujeres, ¿trabajan con la Colectiva?" -
"Con la Colectiva no tenemos relación"). Theme words count only outside names: a word
inside a body's name is that body's own remit (``theme_relations``), not the tie's topic.
A funder is not credited: it pays for the work rather than doing it.
"""

from __future__ import annotations

from graph_schema.model import Label, RelationKind
from ingest.model import Passage, PassageKind, SpeakerRole
from nlp.extraction import statement_themes
from nlp.extraction.state import DocState, PassageResult
from nlp.extraction.statement_themes import statement_theme
from nlp.extraction.theme_relations import theme_hits
from nlp.relations import RawRelation, is_table, table_rows

__all__ = ["TIE_STATEMENT_KINDS", "tie_themes"]

# Statements that tie a body to another body or to an instrument; memberships, places and
# themes themselves are not statements about a theme.
TIE_STATEMENT_KINDS = frozenset(
    {
        RelationKind.partnership,
        RelationKind.coordinates,
        RelationKind.funding,
        RelationKind.mou,
        RelationKind.negative_coordination,
        RelationKind.implements,
        RelationKind.mandate,
    }
)
_TIE_ENDS = frozenset({Label.Actor, Label.Policy, Label.Programme})
# Below a theme cue in the sentence itself (0.5): the theme is read from around the tie.
_CONFIDENCE = 0.4


def _unnamed_themes(pr: PassageResult, start: int = 0, end: int | None = None) -> list[str]:
    """Theme ids of the cues between two character offsets, in text order, leaving out
    cues inside a mention's name."""
    stop = len(pr.doc.text) if end is None else end
    return [
        t.label_
        for t in sorted(theme_hits(pr), key=lambda s: s.start)
        if start <= t.start_char < stop
        and not any(m.span.start <= t.start and t.end <= m.span.end for m in pr.mentions)
    ]


def _statement_span(pr: PassageResult, rel: RawRelation) -> tuple[int, int]:
    """Where a tie is stated: its quote, or in a table the row it was read from (a table
    relation may quote the whole table, whose other rows are about other work)."""
    if is_table(pr.doc.text):
        row = next((r for r in table_rows(pr.doc.text) if r.start <= rel.char_start < r.end), None)
        if row is not None:
            return row.start, row.end
    return rel.char_start, rel.char_end


def _working_ends(rel: RawRelation) -> list[str]:
    """The bodies a tie's theme is given to: both ends, except a funder, which pays for
    the work rather than doing it (as in ``theme_relations``: "with funding from X")."""
    ends = [(rel.target_id, rel.target_label)]
    if rel.kind is not RelationKind.funding:
        ends.insert(0, (rel.source_id, rel.source_label))
    return [eid for eid, label in ends if label is Label.Actor]


def _question(state: DocState, i: int) -> PassageResult | None:
    """The interviewer's turn a respondent's answer follows."""
    if not state.document.is_transcript:
        return None
    if state.passages[i].passage.speaker_role is SpeakerRole.interviewer:
        return None
    return next(
        (
            pr
            for pr in reversed(state.passages[:i])
            if pr.passage.speaker_role is SpeakerRole.interviewer
        ),
        None,
    )


def _heading(state: DocState, i: int) -> PassageResult | None:
    """The heading passage a passage sits under (its ``section``)."""
    section = state.passages[i].passage.section
    if not section:
        return None
    return next(
        (
            pr
            for pr in reversed(state.passages[: i + 1])
            if pr.passage.kind is PassageKind.heading
            and " ".join(pr.passage.text.split()) == " ".join(section.split())
        ),
        None,
    )


def _context_hits(
    state: DocState, i: int, rel: RawRelation, levels: tuple[str, ...]
) -> dict[str, list[str]]:
    """Theme ids named outside names at each level in use around a tie of passage ``i``."""
    pr = state.passages[i]
    hits: dict[str, list[str]] = {}
    if "sentence" in levels:
        hits["sentence"] = _unnamed_themes(pr, *_statement_span(pr, rel))
    if "question" in levels and (question := _question(state, i)) is not None:
        hits["question"] = _unnamed_themes(question)
    heading = _heading(state, i) if "section" in levels else None
    if heading is not None and heading is not pr:
        hits["section"] = _unnamed_themes(heading)
    return hits


def tie_themes(
    state: DocState, raw: list[tuple[Passage, RawRelation]]
) -> list[tuple[Passage, RawRelation]]:
    """works_on from the body ends of each tie to the theme its statement is about."""
    index = {pr.passage.id: i for i, pr in enumerate(state.passages)}
    out: list[tuple[Passage, RawRelation]] = []
    for passage, rel in raw:
        if (
            rel.kind not in TIE_STATEMENT_KINDS
            or rel.source_label is not Label.Actor
            or rel.target_label not in _TIE_ENDS
            or passage.id not in index
        ):
            continue
        i = index[passage.id]
        decided = statement_theme(_context_hits(state, i, rel, statement_themes.STATEMENT_LEVELS))
        if decided is None:
            continue
        for eid in _working_ends(rel):
            out.append(
                (
                    passage,
                    RawRelation(
                        RelationKind.works_on,
                        eid,
                        Label.Actor,
                        decided.theme,
                        Label.Theme,
                        _CONFIDENCE,
                        f"tie about {decided.theme} (theme cue in its {decided.level})",
                        rel.char_start,
                        rel.char_end,
                    ),
                )
            )
    return out
