"""Finds actor, policy and programme names: statistical NER + general rules + gazetteer.

Output: ``doc.spans["govgraph"]`` with labels ACTOR, POLICY, PROGRAMME, PERSON, and
``doc.user_data["govgraph_acronyms"]`` ({acronym: long form}) learned from "Long Form (ACR)".

Rules are general naming patterns, not lists of bodies: a capitalised institutional head
word (Ministry, Council, Secretaría, Fiscalía ...) with its capitalised modifiers and an
"of/for/de/del ..." tail. Policies and programmes use the same machinery with their own
heads (Strategy, Plan, Act, Ley, Programme ...). The gazetteer (UN system, development
banks, donors) adds names the patterns cannot see ("UNICEF") and fixes their type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans
from spacy.vocab import Vocab

from nlp.components.name_bounds import (
    extend_to_defined_acronym,
    opens_with_list_marker,
    role_title,
    titled_name,
    without_lowercase_tail,
)
from nlp.components.name_context import (
    DESCRIBED_KEY,
    compound_modifier,
    described_organisations,
)
from nlp.lexicon import DATA_DIR, intl_orgs, org_lexicon

__all__ = ["ACRONYMS_KEY", "SPANS_KEY", "ActorRuler", "span_head", "strip_determiners"]

SPANS_KEY = "govgraph"
ACRONYMS_KEY = "govgraph_acronyms"
GAZETTEER_KEY = "govgraph_gazetteer"  # {span (start, end): canonical gazetteer name}

_ACRONYM_RE = re.compile(r"^(?:[A-Z][A-Za-z&\-]*[A-Z][a-z]?s?|[A-Z]{2,}s?|[A-Z][a-z]?[A-Z]+)$")
_NUMBER_RE = r"^\d[\d/.\-]*$"
_NUMBER_WORDS = frozenset({"no", "no.", ".", "nº", "n°", "number", "núm.", "-"})
_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "this",
        "that",
        "our",
        "their",
        "its",
        "el",
        "la",
        "los",
        "las",
        "del",
        "al",
        "su",
        "sus",
        "nuestra",
        "nuestro",
        "un",
        "una",
        "these",
        "those",
        "his",
        "her",
    }
)
# Extending a long name (ActorRuler._extend_tail): complements that continue an official
# name ("of", "de", "para" ...; not "in"/"en"/"to", which usually start a place or a
# recipient), coordinators, and the bounds that keep a run-on capitalised line in check.
_COMPLEMENT_WORDS = frozenset(
    {"of", "for", "on", "against", "de", "del", "para", "contra", "sobre"}
)
_AND_WORDS = frozenset({"and", "&", "y", "e"})
_TAIL_DETS = frozenset({"the", "la", "las", "los", "el"})
_MAX_EXTRA_TAILS = 4
_MAX_NAME_TOKENS = 24
_TRAILING = frozenset({"of", "for", "and", "the", "de", "del", "y", "la", "el", "on", "in"})
# NER ORG hits that are conversation scaffolding, not organisations.
_NOT_ORGS = frozenset({"q", "a", "kii", "fgd", "p", "ok", "okay", "covid", "covid-19"})


def strip_determiners(span: Span) -> Span:
    start, end = span.start, span.end
    doc = span.doc
    if start < end - 1 and opens_with_list_marker(span):
        start += 1
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in {".", "'"}):
        end -= 1
    while end > start and (doc[end - 1].text in {"'s", "’s"} or doc[end - 1].lower_ in _TRAILING):
        end -= 1
    return Span(doc, start, end, label=span.label)


def _without_open_bracket(span: Span) -> Span:
    """ "Department of Urban Safety and Enforcement (DUSE": a name never ends inside an
    unclosed bracket (the statistical NER sometimes runs into one); what follows the "("
    is the acronym the name defines, read as such once the span stops before it."""
    opened = [t.i for t in span if t.text == "("]
    if not opened or any(t.text == ")" for t in span if t.i > opened[-1]):
        return span
    return strip_determiners(Span(span.doc, span.start, opened[-1], label=span.label))


def span_head(span: Span, heads: frozenset[str], connectors: frozenset[str]) -> Token | None:
    """The institutional head word: rightmost head before the first connector, else rightmost."""
    before: list[Token] = []
    for tok in span:
        if tok.lower_ in connectors and before:
            break
        before.append(tok)
    for group in (before, list(span)):
        for tok in reversed(group):
            if tok.lower_ in heads:
                return tok
    return None


class ActorRuler:
    def __init__(self, vocab: Vocab, name: str, language: str) -> None:
        self.vocab = vocab
        self.name = name
        self.language = language
        self.matcher: Matcher | None = None
        self.gaz_lower: PhraseMatcher | None = None
        self.gaz_orth: PhraseMatcher | None = None
        self.gaz_names: dict[str, str] = {}  # lowercase name or acronym -> gazetteer name
        self.org_heads: frozenset[str] = frozenset()
        self.policy_heads: frozenset[str] = frozenset()
        self.programme_heads: frozenset[str] = frozenset()
        self.connectors: frozenset[str] = frozenset()
        self.titles: frozenset[str] = frozenset()
        self.ranks: frozenset[str] = frozenset()
        self.occasions: frozenset[str] = frozenset()
        self.description_heads: frozenset[str] = frozenset()

    # -- setup ------------------------------------------------------------------------
    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        data_dir: str | None = None,
    ) -> None:
        path = Path(data_dir) if data_dir else DATA_DIR
        lex = org_lexicon(path)
        lang = self.language
        self.org_heads = lex.org_heads.get(lang, frozenset()) | lex.org_heads["en"]
        self.policy_heads = frozenset().union(*lex.policy_heads.values())
        self.programme_heads = lex.programme_heads
        self.connectors = lex.connectors.get(lang, frozenset()) | lex.connectors["en"]
        self.titles = lex.person_titles
        self.ranks = lex.police_ranks
        self.occasions = lex.occasion_words
        # what a description's head noun must be to call a name an organisation ("a youth
        # group"): an organisation head that names no instrument ("a programme") or event
        self.description_heads = (
            frozenset().union(*lex.org_heads.values())
            - self.policy_heads
            - self.programme_heads
            - _NOT_DESCRIPTIONS
        )
        self._build_matcher()
        self._build_gazetteer(path)

    def _build_matcher(self) -> None:
        heads = sorted(self.org_heads | self.policy_heads | self.programme_heads)
        # Spanish and English share one list: names cross languages ("Fondo", "Council").
        of_words = sorted(
            {
                "of",
                "for",
                "on",
                "against",
                "in",
                "to",
                "from",
                "de",
                "del",
                "para",
                "contra",
                "en",
                "sobre",
                "a",
            }
        )
        dets = sorted(_TAIL_DETS)
        and_words = sorted(_AND_WORDS)
        head = {"LOWER": {"IN": heads}, "IS_TITLE": True}
        mod = {"IS_TITLE": True, "IS_STOP": False}
        mod_or_head = {"IS_TITLE": True}
        left: list[dict[str, Any]] = [
            {"IS_TITLE": True, "IS_STOP": False, "OP": "*"},
        ]
        poss_left: list[dict[str, Any]] = [
            {"IS_TITLE": True, "IS_STOP": False, "OP": "+"},
            {"ORTH": {"IN": ["'s", "'", "’s", "’", "-"]}},
            {"IS_TITLE": True, "IS_STOP": False, "OP": "*"},
        ]
        nonhead = {"IS_TITLE": True, "IS_STOP": False, "LOWER": {"NOT_IN": heads}}
        # A date is not part of a name: "the Commission in March".
        tail_word = {**mod_or_head, "ENT_TYPE": {"NOT_IN": ["DATE", "TIME"]}}
        of_tail: list[dict[str, Any]] = [
            {"LOWER": {"IN": of_words}},
            {"LOWER": {"IN": dets}, "OP": "?"},
            {**tail_word, "OP": "+"},
        ]
        tails: list[list[dict[str, Any]]] = [
            of_tail,
            [{"LOWER": {"IN": and_words}}, {**nonhead, "OP": "+"}],
            [
                {"ORTH": ","},
                {**nonhead, "OP": "+"},
                {"LOWER": {"IN": and_words}},
                {**nonhead, "OP": "+"},
            ],
            [{"ORTH": "-"}, {**mod_or_head, "OP": "+"}],
        ]
        number: list[dict[str, Any]] = [
            {"LOWER": {"IN": ["no.", "no", "nº", "n°", "number", "núm."]}, "OP": "?"},
            {"ORTH": ".", "OP": "?"},  # "No." is often split off its dot
            {"TEXT": {"REGEX": _NUMBER_RE}},
            {"ORTH": "-", "OP": "?"},
            {"TEXT": {"REGEX": _NUMBER_RE}, "OP": "?"},
        ]
        matcher = Matcher(self.vocab)
        patterns: list[list[dict[str, Any]]] = []
        bodies = [[*left, head, {**mod, "OP": "*"}], [*poss_left, head, {**mod, "OP": "*"}]]
        # Up to two tail groups cover real names ("Secretariado Ejecutivo del Sistema
        # Nacional de Seguridad Pública"); a third multiplied matcher time for no gain.
        seqs: list[list[dict[str, Any]]] = [[]]
        seqs += list(tails)
        seqs += [a + b for a in tails for b in tails]
        # Inside an "of" complement "and" may end on a head word: "Ministry of Justice and
        # Correctional Services" (elsewhere "X Ministry and Y Department" are two bodies).
        seqs.append([*of_tail, {"LOWER": {"IN": and_words}}, {**tail_word, "OP": "+"}])
        for body in bodies:
            for seq in seqs:
                patterns.append(body + seq)
            for seq in seqs:
                # only tried after a number, so cheap: "Directive No. 7/2025 on the X of Y"
                patterns.append(body + number + seq)
        matcher.add("NAME", patterns, greedy="LONGEST")
        # Laws named "X from/of/against Y Act": "Protection from Domestic Violence Act 2019",
        # "Prevention of Trafficking Act" (the connector comes before the head).
        policy_head = {
            "LOWER": {"IN": sorted(self.policy_heads - self.org_heads)},
            "IS_TITLE": True,
        }
        year = {"TEXT": {"REGEX": _NUMBER_RE}, "OP": "?"}
        matcher.add(
            "NAME",
            [
                [
                    {**mod, "LOWER": {"NOT_IN": sorted(self.titles | self.org_heads)}},
                    {**mod, "OP": "*"},
                    {"LOWER": {"IN": of_words}},
                    {"LOWER": {"IN": dets}, "OP": "?"},
                    {**mod, "OP": "+"},
                    policy_head,
                    year,
                ]
            ],
            greedy="LONGEST",
        )
        # Programme names with a lowercase head: "the Second Chance programme".
        low_head = {"LOWER": {"IN": sorted(self.programme_heads)}, "IS_LOWER": True}
        # "the Strong Start family skills programme": lowercase descriptors may sit between
        descriptor = {
            "IS_LOWER": True,
            "IS_STOP": False,
            "POS": {"IN": ["NOUN", "ADJ"]},
            "OP": "{,3}",
        }
        matcher.add("NAME_LOWHEAD", [[{**mod, "OP": "+"}, descriptor, low_head]], greedy="LONGEST")
        # "Sergeant Ines Calo", "Mayor Marren": a title before a proper name is a person
        # even where the statistical NER misses the name.
        name_word = {
            "IS_TITLE": True,
            "POS": "PROPN",
            "LOWER": {"NOT_IN": sorted(self.titles | self.org_heads)},
        }
        matcher.add(
            "PERSON_TITLE",
            [[{"LOWER": {"IN": sorted(self.titles)}, "IS_TITLE": True}, {**name_word, "OP": "+"}]],
            greedy="LONGEST",
        )
        # "Amara Kolo, Coordinator, ...": a name followed by its role
        matcher.add(
            "PERSON_ROLE",
            [
                [
                    name_word,
                    {**name_word, "OP": "+"},
                    {"ORTH": ","},
                    {"LOWER": {"IN": sorted(self.titles)}, "IS_TITLE": True},
                ]
            ],
            greedy="LONGEST",
        )
        # Community groups named by place and members, head in lowercase: "the Eastbrook
        # Chapel youth club", "the Marlow parents' association", "the women's group at
        # Eastbrook Chapel".
        group_head = {"LOWER": {"IN": sorted(_GROUP_HEADS)}, "IS_LOWER": True}
        members: list[dict[str, Any]] = [
            {"IS_LOWER": True, "POS": "NOUN", "OP": "?"},
            {"ORTH": {"IN": ["'s", "'", "’s", "’"]}, "OP": "?"},
        ]
        matcher.add(
            "NAME_GROUP",
            [
                [{**mod, "OP": "+"}, *members, group_head],
                [
                    {"IS_LOWER": True, "POS": "NOUN"},
                    {"ORTH": {"IN": ["'s", "'", "’s", "’"]}, "OP": "?"},
                    group_head,
                    {"LOWER": {"IN": ["at", "of", "in"]}},
                    {**mod, "OP": "+"},
                ],
            ],
            greedy="LONGEST",
        )
        self.matcher = matcher

    def _build_gazetteer(self, path: Path) -> None:
        self.gaz_lower = PhraseMatcher(self.vocab, attr="LOWER")
        self.gaz_orth = PhraseMatcher(self.vocab, attr="ORTH")
        names: list[Doc] = []
        acronyms: list[Doc] = []
        for org in intl_orgs(path):
            names.extend(Doc(self.vocab, words=w) for w in _word_forms(org.name))
            self.gaz_names[org.name.lower()] = org.name
            if org.acronym and org.acronym.lower() not in _COMMON_WORDS:
                acronyms.extend(Doc(self.vocab, words=w) for w in _word_forms(org.acronym))
                self.gaz_names.setdefault(org.acronym.lower(), org.name)
        self.gaz_lower.add("GAZ", names)
        self.gaz_orth.add("GAZ", acronyms)

    # -- call -------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is None or self.gaz_lower is None or self.gaz_orth is None:
            raise ValueError(f"{self.name} is not initialized; call nlp.initialize()")
        shouting = _mostly_upper(doc)
        candidates: list[Span] = []
        gazetteer: dict[tuple[int, int], str] = {}
        for _, start, end in self.gaz_lower(doc):
            span = Span(doc, start, end, label="ACTOR")
            candidates.append(span)
            gazetteer[(start, end)] = self.gaz_names.get(span.text.lower(), span.text)
        if not shouting:
            for _, start, end in self.gaz_orth(doc):
                span = Span(doc, start, end, label="ACTOR")
                candidates.append(span)
                gazetteer[(start, end)] = self.gaz_names.get(span.text.lower(), span.text)
        for match_id, start, end in self.matcher(doc):
            span = _hyphen_left(strip_determiners(Span(doc, start, end)))
            if len(span) == 0:
                continue
            key = self.vocab.strings[match_id]
            if key == "PERSON_TITLE":
                if len(span) <= 4:
                    candidates.append(Span(doc, span.start, span.end, label="PERSON"))
                continue
            if key == "PERSON_ROLE":
                if len(span) <= 5:  # the name, without ", Role"
                    candidates.append(Span(doc, span.start, span.end - 2, label="PERSON"))
                continue
            if key == "NAME_GROUP":
                group = self._group(span)
                if group is not None:
                    candidates.append(group)
                continue
            low_head = key == "NAME_LOWHEAD"
            parts = [span]
            if not low_head:
                parts = self._coordinated_bodies(self._extend_tail(span))
            for part in [p for whole in parts for p in _dash_parts(whole)]:
                label = self._label(part, low_head=low_head)
                if low_head and label and len(part) > 1:
                    # "the Second Chance (family skills) programme": the proper name is the
                    # capitalised part.
                    end = part.end - 1
                    while end > part.start + 1 and not doc[end - 1].is_title:
                        end -= 1
                    part = Span(doc, part.start, end)
                if label:
                    candidates.extend(self._split(Span(doc, part.start, part.end, label=label)))
        for ent in doc.ents:
            span = strip_determiners(without_lowercase_tail(strip_determiners(ent)))
            if len(span) == 0 or span.text.lower() in _NOT_ORGS:
                continue
            if ent.label_ == "ORG":
                for part in [
                    p for whole in self._coordinated_bodies(span) for p in _dash_parts(whole)
                ]:
                    label = self._ner_label(part)
                    if label:
                        candidates.extend(self._split(Span(doc, part.start, part.end, label=label)))
                    elif self._role_title(part) and titled_name(part, self.connectors):
                        # "Comisario Julián Prado" tagged ORG: a titled person
                        candidates.append(Span(doc, part.start, part.end, label="PERSON"))
            elif ent.label_ in {"PERSON", "PER"}:
                person = self._person(span)
                if person is not None:
                    candidates.append(person)
        described = described_organisations(doc, self.description_heads)
        if described:
            # a name the text calls an organisation is one, whatever its head word says
            # ("the Mama Salama Community Initiative, a community-based organisation")
            extents = {(s.start, s.end) for s in described}
            candidates = [
                Span(doc, c.start, c.end, label="ACTOR") if (c.start, c.end) in extents else c
                for c in candidates
            ]
            candidates.extend(described)
        candidates = [c for c in map(_without_open_bracket, candidates) if len(c)]
        candidates = [c for c in candidates if "\n" not in c.text]
        candidates = _not_crossing(candidates, gazetteer)
        kept = _prefer_rules(candidates)
        kept = _extend_to_acronym(kept)
        kept = _prefer_rules(
            [
                extend_to_defined_acronym(s, self.org_heads) if s.label_ == "ACTOR" else s
                for s in kept
            ]
        )
        acronyms = self._acronyms(doc, kept)
        kept = self._acronym_mentions(doc, kept, acronyms)
        # An acronym names whatever its long form names (NER calls every acronym ORG).
        long_labels = {s.text: s.label_ for s in kept}
        kept = [
            Span(doc, s.start, s.end, label=long_labels.get(acronyms[s.text], s.label_))
            if s.text in acronyms
            else s
            for s in kept
        ]
        kept = [s for s in kept if not compound_modifier(s)]
        doc.spans[SPANS_KEY] = kept
        doc.user_data[ACRONYMS_KEY] = acronyms
        described_at = {(s.start, s.end) for s in described}
        doc.user_data[DESCRIBED_KEY] = [
            (s.start, s.end) for s in kept if (s.start, s.end) in described_at
        ]
        doc.user_data[GAZETTEER_KEY] = {
            (s.start, s.end): gazetteer[(s.start, s.end)]
            for s in kept
            if (s.start, s.end) in gazetteer
        }
        return doc

    def _extend_tail(self, span: Span) -> Span:
        """The rest of a long name the matcher's two tail groups could not reach.

        Official names chain complements ("Secretaría de las Mujeres del Estado de
        Montealto") and coordinate inside them ("Dirección ... de la Violencia y la
        Delincuencia", "Department of Gender, Youth and Social Services"). Cutting them
        leaves a tail ("Delincuencia", "Services") that becomes an actor of its own. So,
        once a name has a complement, it goes on over further complements and over
        coordinated items whose first word is not an institutional head ("... and Ministry
        of Education" starts a second body). Grammar only: no names are listed.
        """
        doc = span.doc
        limit = span.sent.end if doc.has_annotation("SENT_START") else len(doc)
        limit = min(limit, span.start + _MAX_NAME_TOKENS)
        heads = self.org_heads

        def name_word(i: int) -> bool:
            tok = doc[i]
            return tok.is_title and tok.ent_type_ not in {"DATE", "TIME"}

        def run(i: int, *, head_first: bool) -> int:
            j = i
            while (
                j < limit and name_word(j) and (j > i or head_first or doc[j].lower_ not in heads)
            ):
                j += 1
            return j

        def after_det(i: int) -> int:
            return i + 1 if i < limit and doc[i].lower_ in _TAIL_DETS else i

        if not any(t.lower_ in _COMPLEMENT_WORDS for t in span[1:]):
            return span
        # a head that closes a coordinated item the matcher stopped before ("Social Services")
        end = run(span.end, head_first=True)
        for _ in range(_MAX_EXTRA_TAILS):
            if end >= limit:
                break
            word = doc[end].lower_
            if word in _COMPLEMENT_WORDS:
                start = after_det(end + 1)
                stop = run(start, head_first=True)
            elif word in _AND_WORDS:
                start = after_det(end + 1)
                stop = run(start, head_first=False)
            elif word == ",":
                # "X of A, B and C": a comma list belongs to the name only if it closes with "and"
                j = end
                while j < limit and doc[j].text == ",":
                    k = run(j + 1, head_first=False)
                    j = k if k > j + 1 else limit
                if j >= limit or doc[j].lower_ not in _AND_WORDS:
                    break
                start = after_det(j + 1)
                stop = run(start, head_first=False)
            else:
                break
            if stop <= start:
                break
            if (
                word not in _COMPLEMENT_WORDS
                and doc[start - 1].lower_ in _TAIL_DETS
                and any(doc[i].lower_ in heads for i in range(start, stop))
            ):
                break  # "... Services and the Tarnby Traders Association": a second body
            end = stop  # run() already took every name word after the item's first
        if end == span.end:
            return span
        return Span(doc, span.start, end, label=span.label)

    def _coordinated_bodies(self, span: Span) -> list[Span]:
        """ "Ministry of Health and Ministry of Education" names two bodies: after a
        complement, "and" followed by a head word that opens its own complement starts a
        second name. "Ministry of Justice and Correctional Services" and "Instituto de
        Seguridad y Servicios Sociales de ..." stay whole (no head + complement there)."""
        doc = span.doc
        seen_complement = False
        for tok in span:
            if tok.lower_ in _COMPLEMENT_WORDS and tok.i > span.start:
                seen_complement = True
            if not (seen_complement and tok.lower_ in _AND_WORDS and tok.i + 2 < span.end):
                continue
            j = tok.i + 1
            if doc[j].lower_ in _TAIL_DETS:
                j += 1
            if (
                j + 1 < span.end
                and doc[j].is_title
                and doc[j].lower_ in self.org_heads
                and doc[j + 1].lower_ in _COMPLEMENT_WORDS
            ):
                left = Span(doc, span.start, tok.i, label=span.label)
                right = Span(doc, j, span.end, label=span.label)
                return [left, *self._coordinated_bodies(right)]
        return [span]

    def _occasion(self, span: Span) -> bool:
        """ "the Monthly Community Policing Forum", "la Reunión Trimestral de Seguimiento":
        a name that opens with (or, head-first in Spanish, follows its head with) a word
        of periodicity names an occasion, not a body."""
        words = [t.lower_ for t in span[:2]]
        return bool(words) and (
            words[0] in self.occasions or (self.language == "es" and words[-1] in self.occasions)
        )

    def _titled_post(self, span: Span) -> bool:
        """ "the Sub-County Police Commander": a name without a complement that ends in a
        person's title is the post (the statistical NER's spans had this rule already);
        "Office of the Attorney General" has a complement, "Fiscalía General" its head
        first, and both stay bodies."""
        last = span[-1].lower_
        ranked = self.titles | self.ranks
        if not (last in ranked or last.rstrip("s") in ranked):
            return False
        if self.language == "es" and span[0].lower_ in self.org_heads:
            return False  # head first: "Fiscalía General", "Secretaría General"
        return not any(t.lower_ in self.connectors for t in span[1:-1])

    def _role_title(self, span: Span) -> bool:
        return role_title(span, self.titles, self.ranks, self.connectors, self.org_heads)

    def _label(self, span: Span, *, low_head: bool = False) -> str | None:
        if self._occasion(span) or (not low_head and self._role_title(span)):
            return None
        if not low_head and self._titled_post(span):
            return None
        head = span_head(
            span, self.org_heads | self.policy_heads | self.programme_heads, self.connectors
        )
        if head is None:
            return None
        word = head.lower_
        if word in self.programme_heads and (low_head or word not in self.org_heads):
            return "PROGRAMME"
        if word in self.programme_heads and span.text.lower() not in self.gaz_names:
            # "Programme" names an organisation only in the gazetteer (UNDP and kin).
            return "PROGRAMME"
        if word in self.policy_heads and word not in self.org_heads:
            return "POLICY"
        if low_head:
            return None
        if len(span) == 1 and not _ACRONYM_RE.match(span.text):
            return "REF"  # a bare "Ministry" is a reference, resolved later if at all
        return "ACTOR"

    def _split(self, span: Span) -> list[Span]:
        """ "Family Protection Office of the Gender Ministry" names two bodies, not one;
        "National Treatment Protocol of the Ministry of Health" a policy and its owner."""
        if span.label_ == "ACTOR":
            left_heads = self.org_heads
        elif span.label_ in {"POLICY", "PROGRAMME"}:
            left_heads = self.policy_heads | self.programme_heads
        else:
            return [span]
        doc = span.doc
        for tok in span:
            if tok.lower_ in {"of", "de", "del"} and tok.i - span.start >= 2:
                left = Span(doc, span.start, tok.i, label=span.label_)
                j = tok.i + 1
                while j < span.end and doc[j].lower_ in _DETERMINERS:
                    j += 1
                right = Span(doc, j, span.end, label="ACTOR")
                # "Circular No. 14/2024 of the Ministry": a number may close the policy name.
                last = doc[tok.i - 1]
                while (
                    span.label_ != "ACTOR"
                    and last.i > span.start
                    and (re.match(_NUMBER_RE, last.text) or last.lower_ in _NUMBER_WORDS)
                ):
                    last = doc[last.i - 1]
                if (
                    len(right) >= 2
                    and last.lower_ in left_heads
                    and any(t.lower_ in self.org_heads for t in right)
                ):
                    if span.label_ != "ACTOR":
                        right = self._rematch(right)
                    return [left, right]
                break
        return [span]

    def _rematch(self, span: Span) -> Span:
        """The full name starting where a policy's owner starts: the policy's match used up
        its tail groups on the owner ("Protocol of the Ministry of Health and Welfare")."""
        assert self.matcher is not None
        doc = span.doc
        window = doc[span.start : min(len(doc), span.start + 16)]
        ends = [e for mid, s, e in self.matcher(window) if s == 0]
        if not ends:
            return span
        longest = strip_determiners(Span(doc, span.start, span.start + max(ends)))
        return Span(doc, span.start, max(span.end, longest.end), label=span.label)

    def _group(self, span: Span) -> Span | None:
        """A lowercase-headed community group, if its proper-name part is a real name."""
        proper = [t for t in span if t.is_title]
        if not any(t.pos_ == "PROPN" for t in proper) or (
            len(proper) == 1 and proper[0].lower_ in self.org_heads
        ):
            return None  # "the Ministry's committee", "Civil society" are not names
        if span[0].is_title and span[0].i == span.sent.start and len(proper) == 1:
            return None  # a capitalised sentence opener: "Parents' groups ..."
        return Span(span.doc, span.start, span.end, label="ACTOR")

    def _ner_label(self, span: Span) -> str | None:
        """ACTOR, REF (a bare head: "Commission") or WEAK (needs corpus support), or None."""
        last = span[-1].lower_
        if last in self.titles or last.rstrip("s") in self.titles or last in {"chair", "chairs"}:
            return None  # "District Commanders": people in a role, not a body
        if self._role_title(span):
            return None  # "Dr Lidia Marr", "Secretario de Obras de Dunmore": a person
        if self._occasion(span):
            return None
        if len(span) == 1:
            tok = span[0]
            if tok.lower_ in self.org_heads:
                return "REF"
            # Single words (an undefined acronym, "Foreword", a district name) are kept only
            # when the corpus knows them as an acronym; nlp.extract decides.
            return "WEAK"
        return self._label(span) or "ACTOR"

    def _person(self, span: Span) -> Span | None:
        doc = span.doc
        start = span.start
        if start > 0 and doc[start - 1].lower_.rstrip(".") in self.titles:
            start -= 1
        titled = doc[start].lower_.rstrip(".") in self.titles
        # ", Mayor of X" after the name also marks a person in an official capacity.
        titled = titled or (
            span.end + 1 < len(doc)
            and doc[span.end].text == ","
            and doc[span.end + 1].lower_.rstrip(".") in self.titles
        )
        if not titled:
            return None  # untitled PERSON hits are mostly place and programme names
        if any(t.is_digit for t in span):
            return None
        return Span(doc, start, span.end, label="PERSON")

    def _acronyms(self, doc: Doc, spans: list[Span]) -> dict[str, str]:
        found: dict[str, str] = {}
        for span in spans:
            if span.label_ == "PERSON" or span.end + 2 >= len(doc) + 1:
                continue
            acr = _defined_acronym(span)
            if acr is not None and _ACRONYM_RE.match(acr) and _plausible_acronym(acr, span.text):
                found[acr.rstrip("s") if acr.endswith("s") and acr[:-1].isupper() else acr] = (
                    span.text
                )
        return found

    def _acronym_mentions(
        self, doc: Doc, spans: list[Span], acronyms: dict[str, str]
    ) -> list[Span]:
        if not acronyms:
            return spans
        covered = {i for s in spans for i in range(s.start, s.end)}
        labels = {s.text: s.label_ for s in spans}
        extra = []
        for tok in doc:
            if tok.i in covered:
                continue
            key = tok.text if tok.text in acronyms else tok.text[:-1]
            if key in acronyms and tok.text[:1].isupper():
                extra.append(Span(doc, tok.i, tok.i + 1, label=labels.get(acronyms[key], "ACTOR")))
        return sorted([*spans, *extra], key=lambda s: s.start)


# Acronyms that are also everyday words: matching them case-sensitively is still unsafe.
_COMMON_WORDS = frozenset({"who", "it", "us", "am", "was", "sida", "norad"})


def _words(text: str) -> list[str]:
    # Gazetteer entries are matched on tokens; split like the tokenizer does on punctuation.
    return [w for w in re.findall(r"\w+(?:[-']\w+)*|[^\w\s]", text) if w]


def _word_forms(text: str) -> list[list[str]]:
    """A gazetteer entry's tokens as either tokenizer may cut them: English splits a hyphen
    between letters ("UN-Habitat" -> "UN", "-", "Habitat"), Spanish keeps it in the word."""
    whole = _words(text)
    split = [w for w in re.findall(r"\w+(?:'\w+)*|[^\w\s]", text) if w]
    return [whole] if split == whole else [whole, split]


_DASHES = frozenset({"-", "–", "—"})
# Organisation heads that do not make a description an organisation's: "a conference" is
# an event, "a service" or "a mission" as often an activity, "a party to" a role in a deal.
_NOT_DESCRIPTIONS = frozenset(
    {"conference", "conferencia", "service", "services", "servicio", "mission", "party"}
)
_GROUP_HEADS = frozenset(
    {
        "committee",
        "association",
        "group",
        "circle",
        "club",
        "network",
        "collective",
        "cooperative",
        "council",
        "union",
    }
)


def _hyphen_left(span: Span) -> Span:
    """ "PROTECT-Port Joint Programme": a tight hyphen joins a capitalised or all-caps word
    the title-case pattern could not start on."""
    doc = span.doc
    start = span.start
    while (
        start >= 2
        and doc[start - 1].text == "-"
        and not doc[start - 1].whitespace_
        and not doc[start - 2].whitespace_
        and doc[start - 2].is_alpha
        and doc[start - 2].text[:1].isupper()
    ):
        start -= 2
    return span if start == span.start else Span(doc, start, span.end, label=span.label)


def _dash_parts(span: Span) -> list[Span]:
    """A spaced dash separates names ("Republic of X - Ministry of Y"); "Counter-Trafficking"
    and "UN-Habitat" keep theirs."""
    doc = span.doc
    cuts = [
        t.i
        for t in span
        if t.text in _DASHES and t.whitespace_ and t.i > span.start and doc[t.i - 1].whitespace_
    ]
    if not cuts:
        return [span]
    parts, start = [], span.start
    for cut in [*cuts, span.end]:
        part = strip_determiners(Span(doc, start, cut, label=span.label))
        if len(part):
            parts.append(part)
        start = cut + 1
    return parts


def _mostly_upper(doc: Doc) -> bool:
    alpha = [t for t in doc if t.is_alpha and len(t) > 1]
    return bool(alpha) and sum(t.is_upper for t in alpha) / len(alpha) > 0.5


_CONNECTORS = frozenset({"and", "of", "for", "the", "&", "y", "de", "del", "la", "las", "los", "e"})


def _initials(words: Iterable[str]) -> str:
    return "".join(w[0] for t in words for w in re.findall(r"[^\W\d_]+", t) if w[0].isupper())


def _defined_acronym(span: Span, *, ending: bool = False) -> str | None:
    """The acronym a name defines right after it: "X (ACR)", or "X, ACR" when the letters
    are exactly the name's initials (a comma list "the Ministry, UNICEF" is two bodies), or
    with ``ending`` end with them (the name may be cut short; the caller checks the rest)."""
    doc, end = span.doc, span.end
    if end + 2 < len(doc) and doc[end].text == "(" and doc[end + 2].text == ")":
        return doc[end + 1].text
    if end + 1 < len(doc) and doc[end].text == ",":
        acr = doc[end + 1].text
        nxt = doc[end + 2].text if end + 2 < len(doc) else "."
        initials = _initials(t.text for t in span)
        spelled = acr == initials or (ending and acr.endswith(initials))
        if len(acr) >= 3 and acr.isupper() and acr.isalpha() and not nxt[:1].isalnum() and spelled:
            return acr
    return None


def _extend_to_acronym(spans: list[Span]) -> list[Span]:
    """A name whose acronym spells more than the name: "the Public Integrity and
    Anti-Corruption Commission (PIACC)" was cut at "and" to "Anti-Corruption Commission".
    The acronym says where the name starts: extend it left over capitalised words and
    connectors while the initials so far end the acronym, and keep the extension only when
    they spell it all. Spans it swallows are dropped."""
    out = list(spans)
    for span in spans:
        if span.label_ not in {"ACTOR", "WEAK"}:
            continue
        doc = span.doc
        acr = _defined_acronym(span, ending=True) or ""
        own = _initials(t.text for t in span)
        if len(acr) < 3 or not acr.isupper() or acr == own or not acr.endswith(own) or not own:
            continue
        start = span.start
        while start > 0 and span.start - start < 6:
            tok = doc[start - 1]
            if not (tok.is_title or tok.is_upper or tok.lower_ in _CONNECTORS):
                break
            start -= 1
            have = _initials(t.text for t in doc[start : span.end])
            if have == acr and doc[start].text[:1].isupper():
                longer = Span(doc, start, span.end, label=span.label_)
                out = [s for s in out if not (start <= s.start and s.end <= span.end)]
                out.append(longer)
                break
            if not acr.endswith(have):
                break
    return sorted(out, key=lambda s: (s.start, s.end))


def _plausible_acronym(acr: str, long_form: str) -> bool:
    initials = _initials([long_form])
    letters = [c for c in acr.upper() if c.isalpha()]
    if not letters or letters[0] != (initials[:1] or "?"):
        # Spanish and French acronyms often follow another language; allow gazetteer-ish
        # cases where any initial matches.
        return bool(set(letters) & set(initials)) and len(letters) >= 2
    return True


_PRIORITY = {"ACTOR": 0, "POLICY": 0, "PROGRAMME": 0, "PERSON": 1, "REF": 2, "WEAK": 3}


def _not_crossing(spans: list[Span], gazetteer: dict[tuple[int, int], str]) -> list[Span]:
    """A known organisation's name is not cut by a span that starts or ends inside it:
    "UN-Habitat implements Component 3" is read by the rules as "UN" + "Habitat implements
    Component 3", and the longer of the two would otherwise win. A span that holds the
    whole name ("UNODC Regional Office for Eastern Africa") stays."""
    if not gazetteer:
        return spans

    def crosses(s: Span) -> bool:
        return any(
            (s.start, s.end) != (a, b)
            and s.start < b
            and a < s.end
            and not (s.start <= a and b <= s.end)
            and not (a <= s.start and s.end <= b)
            for a, b in gazetteer
        )

    return [s for s in spans if (s.start, s.end) in gazetteer or not crosses(s)]


def _prefer_rules(spans: list[Span]) -> list[Span]:
    return list(filter_spans(sorted(spans, key=lambda s: (_PRIORITY.get(s.label_, 2), s.start))))


@Language.factory("govgraph_actor_ruler", default_config={"language": "en"})
def make_actor_ruler(nlp: Language, name: str, language: str) -> ActorRuler:
    return ActorRuler(nlp.vocab, name, language)
