"""General features of an entity candidate ("is this a real organisation?").

Two steps, both pure: ``observe_mention`` reads what one mention's span and passage say
(NER label, syntactic role, layout context); ``actor_features`` aggregates a candidate's
observations and its name into a flat ``{feature: value}`` dict. No feature names a
particular body: only word classes from the lexicons, shapes and contexts, so a weight
fitted on one corpus can mean something on the next.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span

from ingest.model import Passage, PassageKind
from nlp.components.actor_classifier import classify_name
from nlp.components.name_context import DESCRIBED_KEY
from nlp.lexicon import OrgLexicon

__all__ = ["MentionObs", "actor_features", "observe_mention"]

_SUBJ = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj", "agent"})
_OBJ = frozenset({"dobj", "obj", "iobj", "pobj", "obl", "dative"})
# Layout shapes of a passage: a list marker ("c.", "(b)", "1.", bullets), a footnote start
# ("1 World ...", superscript digits), a speaker header ("NAME, ROLE:" / "Name:").
_LIST = re.compile(r"^\s*(?:[-•*·▪●]|\(?[a-z]\)|[a-z]\.|\(?\d{1,2}[.)])\s+", re.IGNORECASE)
_FOOTNOTE = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}\s+[A-Z])")
_SPEAKER_HEAD = re.compile(r"^\s*[^\n:]{2,80}:\s")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_NER = ("ORG", "PERSON", "GPE", "LOC", "OTHER", "NONE")


@dataclass(frozen=True)
class MentionObs:
    """What one mention of a candidate shows, independent of the candidate's other mentions."""

    text: str
    span_label: str  # the actor ruler's label (ACTOR, WEAK, REF ...)
    ner: str  # one of _NER: the statistical NER label overlapping the span
    subject: bool
    obj: bool
    heading: bool
    table: bool
    list_item: bool
    footnote: bool
    first_page: bool
    speaker_head: bool  # inside the "NAME, ROLE:" part before a turn's colon
    starts_passage: bool  # the mention is the first words of its passage (a title line)
    document_id: str
    # the text calls the name an organisation: "X, a registered youth group", "X is an NGO"
    described: bool = False


def observe_mention(span: Span, passage: Passage, document_id: str) -> MentionObs:
    doc = span.doc
    ner = "NONE"
    for ent in doc.ents:
        if ent.start < span.end and span.start < ent.end:
            ner = ent.label_ if ent.label_ in _NER else "OTHER"
            if ner == "ORG":
                break
    deps = {t.dep_ for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t}
    text = passage.text
    colon = text.find(":")
    return MentionObs(
        text=span.text,
        span_label=span.label_,
        ner=ner,
        subject=bool(deps & _SUBJ),
        obj=bool(deps & _OBJ),
        heading=passage.kind is PassageKind.heading,
        table=passage.kind is PassageKind.table,
        list_item=bool(_LIST.match(text)),
        footnote=bool(_FOOTNOTE.match(text)),
        first_page=(passage.page == 1) if passage.page is not None else passage.index < 3,
        speaker_head=bool(_SPEAKER_HEAD.match(text)) and span.start_char < colon,
        starts_passage=not text[: span.start_char].strip(" \t#*-•"),
        document_id=document_id,
        described=(span.start, span.end) in set(doc.user_data.get(DESCRIBED_KEY, ())),
    )


def _frac(obs: Sequence[MentionObs], attr: str) -> float:
    return sum(bool(getattr(o, attr)) for o in obs) / len(obs) if obs else 0.0


def _head_classes(name: str, lex: OrgLexicon) -> dict[str, float]:
    words = [w.lower() for w in re.findall(r"[\w'-]+", name)]
    if not words:
        return {"head:none": 1.0}
    org = lex.org_heads.get("en", frozenset()) | lex.org_heads.get("es", frozenset())
    policy = frozenset().union(*lex.policy_heads.values())
    out: dict[str, float] = {}
    # English names end in their head ("Police Service"), Spanish ones start with it.
    for pos, word in (("last", words[-1]), ("first", words[0])):
        if word in org:
            out[f"{pos}:org_head"] = 1.0
        elif word in lex.programme_heads:
            out[f"{pos}:programme_head"] = 1.0
        elif word in policy:
            out[f"{pos}:policy_head"] = 1.0
        elif word in lex.person_titles or word in lex.police_ranks:
            out[f"{pos}:role_title"] = 1.0
    if any(w in org for w in words):
        out["any:org_head"] = 1.0
    if any(w in lex.programme_heads or w in policy for w in words):
        out["any:instrument_head"] = 1.0
    return out


def actor_features(
    name: str,
    names: Iterable[str],
    observations: Sequence[MentionObs],
    *,
    lex: OrgLexicon,
    gazetteer: frozenset[str],
    language: str,
    speaker_org: bool = False,
) -> dict[str, float]:
    """A flat feature dict; absent keys are 0. ``names``: the candidate's aliases too;
    ``gazetteer``: lowercased names and acronyms of known international organisations."""
    all_names = {name, *names}
    tokens = name.split()
    words = [w for w in tokens if w[:1].isalpha()]
    caps = [w for w in words if w[:1].isupper()]
    n_docs = len({o.document_id for o in observations})
    f: dict[str, float] = {
        "bias_name_tokens": math.log1p(len(tokens)),
        "one_token": float(len(tokens) == 1),
        "long_name": float(len(tokens) > 8),
        "cap_ratio": len(caps) / len(words) if words else 0.0,
        "all_caps": float(name.isupper() and len(name) > 1),
        "all_caps_multiword": float(name.isupper() and len(tokens) > 1),
        "has_digit": float(any(c.isdigit() for c in name)),
        "has_year": float(bool(_YEAR.search(name))),
        "has_and": float(bool(re.search(r"\s(?:and|y|&)\s", name))),
        "has_punct": float(bool(re.search(r"[?!:;\"()]", name))),
        "lowercase_start": float(name[:1].islower()),
        "gazetteer": float(any(n.lower() in gazetteer for n in all_names)),
        "n_aliases": math.log1p(len(all_names) - 1),
        "lang_es": float(language == "es"),
        "speaker_org": float(speaker_org),
        # Per document, log-scaled: a raw count grows with the corpus and the documents'
        # length, and then outweighs everything that says what the name is.
        "mentions_per_document": math.log1p(len(observations) / max(1, n_docs)),
        "documents": math.log1p(n_docs),
        "no_mention": float(not observations),
    }
    f.update(_head_classes(name, lex))
    cls = classify_name(name, lex)
    f[f"type:{cls.type.value if cls.type else 'none'}"] = 1.0
    f[f"level:{cls.level.value if cls.level else 'none'}"] = 1.0
    for label in _NER:
        f[f"ner:{label}"] = sum(o.ner == label for o in observations) / max(1, len(observations))
    for label in ("ACTOR", "WEAK", "REF"):
        f[f"rule:{label}"] = sum(o.span_label == label for o in observations) / max(
            1, len(observations)
        )
    for attr in (
        "subject",
        "obj",
        "heading",
        "table",
        "list_item",
        "footnote",
        "first_page",
        "speaker_head",
        "starts_passage",
    ):
        f[f"ctx:{attr}"] = _frac(observations, attr)
    f["ever_argument"] = float(any(o.subject or o.obj for o in observations))
    # once is enough: a body is described when it is introduced, then named bare
    f["described_org"] = float(any(o.described for o in observations))
    f["only_layout"] = float(
        bool(observations)
        and all(o.heading or o.table or o.footnote or o.list_item for o in observations)
    )
    return {k: v for k, v in f.items() if v}
