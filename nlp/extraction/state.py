"""What extraction keeps per document and per passage while the passes run.

The passes (names, references, actor decision, relations) each read and amend the same
state, so it lives here rather than in any one of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from graph_schema.model import Label
from ingest.model import Document, Passage
from nlp.components.actor_classifier import ActorClass
from nlp.relations import LinkedMention


@dataclass
class PassageResult:
    passage: Passage
    doc: Doc
    mentions: list[LinkedMention] = field(default_factory=list)
    # (span, head word, label) of bare one-word names ("the Plan"), resolved in pass 2
    bare: list[tuple[Span, str, Label]] = field(default_factory=list)


@dataclass
class DocState:
    document: Document
    passages: list[PassageResult]
    self_id: str | None = None
    # FGD headers that list each participant's organisation ("P2 outreach worker, X; P3 ...")
    speaker_ids: dict[str, str] = field(default_factory=dict)
    used_aliases: set[tuple[str, str]] = field(default_factory=set)  # (entity id, alias key)
    decisions: dict[str, list[ActorClass]] = field(default_factory=lambda: defaultdict(list))
