"""The body that issued a document, from its title block: a legal instrument's authority
and the instrument itself; a report's or plan's own voice, its "we"."""

from __future__ import annotations

from graph_schema.model import Label
from ingest.model import DocumentKind
from nlp.components.actor_classifier import classify_name
from nlp.extraction.state import DocState
from nlp.lexicon import org_lexicon
from nlp.resolution import Resolver

_ISSUED_KINDS = frozenset({DocumentKind.law})
TITLE_PASSAGES = 4
_TITLE_LINE_CHARS = 160  # a title, masthead or subtitle line; prose runs longer
_SELF_DEMONSTRATIVES = frozenset({"this", "present", "presente", "esta", "este"})


def issuer(state: DocState, resolver: Resolver) -> tuple[str | None, frozenset[str]]:
    """The state body that issued a legal instrument, and the instrument itself, from the
    document's title block ("MINISTRY OF X" / "CIRCULAR No. 14" above the text)."""
    if state.document.kind not in _ISSUED_KINDS:
        return None, frozenset()
    lex = org_lexicon()
    authority: str | None = None
    instruments: set[str] = set()
    for pr in state.passages:
        for m in pr.mentions:
            # "this Circular", "la presente Ley": the document speaking of itself
            before = {t.lower_ for t in pr.doc[max(0, m.span.start - 2) : m.span.start + 1]}
            if m.label is Label.Policy and before & _SELF_DEMONSTRATIVES:
                instruments.add(m.entity_id)
    for pr in state.passages[:TITLE_PASSAGES]:
        for m in pr.mentions:
            if m.label in {Label.Policy, Label.Programme}:
                instruments.add(m.entity_id)
            elif authority is None and m.label is Label.Actor:
                cls = classify_name(resolver.entity(m.entity_id).name, lex)
                if cls.type is not None and cls.type.value in {"government", "police_justice"}:
                    authority = m.entity_id
    return authority, frozenset(instruments)


def document_voice(state: DocState) -> str | None:
    """The body a report, plan or brief speaks for when it says "we" / "nos": the first
    actor its title block names ("Casa Abierta Juventudes, A.C. - Informe Anual",
    "COUNTY GOVERNMENT OF KIVARI / Second County Integrated Development Plan"). Transcripts
    have their speakers and legal instruments their authority instead."""
    if state.document.is_transcript or state.document.kind in _ISSUED_KINDS:
        return None
    for pr in state.passages[:TITLE_PASSAGES]:
        if not _title_line(pr.passage.text):
            break  # the body has begun: a body named in prose is what the text is about
        for m in pr.mentions:
            if m.label is Label.Actor and not m.anaphoric:
                return m.entity_id
    return None


def _title_line(text: str) -> bool:
    """A line of a title block: short, and not a sentence."""
    line = text.strip()
    return 0 < len(line) <= _TITLE_LINE_CHARS and not line.endswith((".", ":", "?"))
