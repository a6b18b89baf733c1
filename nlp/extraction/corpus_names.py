"""What the whole corpus names, for references a single document cannot resolve."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from graph_schema.model import Label
from nlp.components.actor_classifier import NON_STATE_TYPES, Decision, classify_name
from nlp.extraction.names import name_words
from nlp.extraction.state import DocState
from nlp.lexicon import org_lexicon
from nlp.resolution import Resolver


class CorpusNames:
    """What the whole corpus names, for references a single document cannot resolve.

    - head word -> entities whose name holds it ("the Coalition" in an interview that
      never spells the Coalition's name out);
    - short names: a leading part of exactly one entity's name ("Hope Harbour" for the
      Hope Harbour Recovery Trust), and names without a head word that one document's
      NER missed.
    """

    def __init__(self, states: Sequence[DocState], resolver: Resolver, heads: frozenset[str]):
        self.count: Counter[str] = Counter()
        by_word: dict[str, set[str]] = defaultdict(set)
        names: dict[str, set[str]] = defaultdict(set)  # entity id -> surface names
        for state in states:
            for pr in state.passages:
                for m in pr.mentions:
                    self.count[m.entity_id] += 1
                    names[m.entity_id].add(m.span.text)
            for own in (state.self_id, *state.speaker_ids.values()):
                if own is not None:
                    names[own].add(resolver.entity(own).name)
        for eid, surfaces in names.items():
            entry = resolver.entity(eid)
            for word in {w for n in surfaces | {entry.name} for w in name_words(n)}:
                if word in heads:
                    by_word[word].add(eid)
        self.by_word = by_word
        # short names: token tuples -> entity id, only when a single entity owns them
        lex = org_lexicon()
        owners: dict[tuple[str, ...], set[str]] = defaultdict(set)  # full names, prefixes
        inside: dict[tuple[str, ...], set[str]] = defaultdict(set)  # any inner word run
        for eid, surfaces in names.items():
            label = resolver.entity(eid).label
            if label not in {Label.Actor, Label.Programme, Label.Policy}:
                continue
            for name in surfaces | {resolver.entity(eid).name}:
                words = tuple(name.split())
                if len(words) < 2 or not words[0][:1].isupper():
                    continue
                owners[words].add(eid)
                # Non-state groups and programmes go by the start of their name ("Hope
                # Harbour"); state bodies do not ("Gender" is not the Gender Ministry).
                state_body = (
                    label is Label.Actor
                    and (classify_name(name, lex).type or _NO_TYPE).value not in NON_STATE_TYPES
                )
                for k in range(1, 0 if state_body else len(words)):
                    prefix = words[:k]
                    if not all(w[:1].isupper() and w.lower() not in heads for w in prefix):
                        break
                    owners[prefix].add(eid)
                # a run of words inside another entity's name is ambiguous
                for k in range(1, len(words)):
                    for j in range(1, len(words) - k + 1):
                        inside[words[j : j + k]].add(eid)
        self.short: dict[tuple[str, ...], str] = {}
        for words, ids in owners.items():
            if len(ids) != 1 or not inside.get(words, set()) <= ids:
                continue
            if len(words) == 1 and words[0].lower() in _NOT_SHORT:
                continue
            self.short[words] = next(iter(ids))
        self.heads = heads
        self.full = {w for w, ids in owners.items() if len(w) > 1}
        self.places = _place_words(states)
        self.max_len = max((len(k) for k in self.short), default=0)
        self.first_words = frozenset(k[0] for k in self.short)

    def unique(self, word: str) -> str | None:
        ids = self.by_word.get(word, set())
        return next(iter(ids)) if len(ids) == 1 else None

    def find_short(self, doc: Doc, covered: set[int]) -> list[tuple[Span, str]]:
        out: list[tuple[Span, str]] = []
        texts = [t.text for t in doc]
        i, n = 0, len(doc)
        while i < n:
            hit = None
            if i not in covered and texts[i] in self.first_words:
                for k in range(min(self.max_len, n - i), 0, -1):
                    words = tuple(texts[i : i + k])
                    eid = self.short.get(words)
                    if eid is None or any(j in covered for j in range(i, i + k)):
                        continue
                    nxt = doc[i + k] if i + k < n else None
                    if nxt is not None and nxt.is_title and not nxt.is_sent_start:
                        break  # part of a longer, different name
                    named = k > 1 and words in self.full
                    if not any(t.lower_ in self.heads for t in doc[i : i + k]) and (
                        (
                            not named
                            and any(
                                t.ent_type_ in _PLACE_ENTS or t.pos_ != "PROPN"
                                for t in doc[i : i + k]
                            )
                        )
                        or (i > 0 and doc[i - 1].lower_ in _LOCATIVE)
                        or doc[i].text in self.places
                    ):
                        break  # "families in Eastbrook", "at Kessel Market": places
                    hit = (Span(doc, i, i + k), eid)
                    break
            if hit is not None:
                out.append(hit)
                i = hit[0].end
            else:
                i += 1
        return out


def _place_words(states: Sequence[DocState]) -> frozenset[str]:
    """Capitalised words the corpus uses as places: "in Eastbrook", "at Kessel Market",
    "in Dunmore and Eastbrook" (a short name must not be one)."""
    out: set[str] = set()
    for state in states:
        for pr in state.passages:
            texts = [t.text for t in pr.doc]
            i, n = 0, len(texts)
            while i < n:
                if texts[i].lower() in _LOCATIVE and i + 1 < n and texts[i + 1][:1].isupper():
                    j = i + 1
                    while j < n and (texts[j][:1].isupper() or texts[j] in {",", "and", "y"}):
                        if texts[j][:1].isupper():
                            out.add(texts[j])
                        j += 1
                    i = j
                else:
                    i += 1
    return frozenset(out)


_LOCATIVE = frozenset({"in", "at", "near", "around", "outside", "across", "en", "cerca"})
_NO_TYPE = Decision("", 0.0, "")
_PLACE_ENTS = frozenset({"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "PERSON"})

# Capitalised words that open many names or sentences; never a short name on their own.
_NOT_SHORT = frozenset(
    {
        "national",
        "city",
        "state",
        "federal",
        "municipal",
        "united",
        "international",
        "the",
        "central",
        "district",
        "county",
        "regional",
        "provincial",
        "community",
        "new",
        "saint",
        "st",
        "san",
        "santa",
        "north",
        "south",
        "east",
        "west",
        "nacional",
    }
)
