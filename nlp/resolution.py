"""Entity resolution across passages and documents, with an inspectable, undoable ledger.

Rules, tried in order for a surface name (each merge is recorded with its rule):

1. ``exact``      same normalised form (case, accents, articles, possessive, final plural)
2. ``acronym``    an acronym learned from "Long Form (ACR)" or from the gazetteer
3. ``short_form`` the name's content words are a subset of one known name with the same
                  institutional head ("Interior Ministry" -> "Ministry of the Interior ...")
                  or a leading part of it ("Hope Harbour" -> "Hope Harbour Recovery Trust");
                  merged only when exactly one known entity qualifies
4. ``surname``    people: same family name, title stripped ("Inspector Kovar")
5. ``fuzzy``      rapidfuzz ratio over normalised forms >= threshold (typos, inflection)

Before 2-5, ``translation``: a name the gazetteer gives as another language's name of a
body already known ("Unión Europea" for the European Union, ``same_as`` in
nlp/data/intl_orgs.jsonl) is that body.

Ids are deterministic: ``<label>:<slug of the first canonical name>``, so the same input in
the same order gives the same ids, and entities passed in as ``known`` keep theirs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ConfigDict
from rapidfuzz import fuzz, process

from graph_schema.model import EntityNode, Label
from nlp.short_forms import sense_keys, without_implicit_jurisdiction

__all__ = [
    "MergeLedger",
    "MergeRecord",
    "Resolver",
    "content_words",
    "display_name",
    "entity_id",
    "name_head",
    "normalise",
    "slug",
]

_ARTICLES = re.compile(
    r"^(?:the|a|an|our|their|its|el|la|los|las|del|al|un|una|su|sus)\s+", re.IGNORECASE
)
_STOP = frozenset(
    {
        "of",
        "for",
        "on",
        "and",
        "the",
        "in",
        "to",
        "from",
        "against",
        "&",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "y",
        "e",
        "para",
        "contra",
        "en",
        "sobre",
        "a",
        "at",
    }
)
_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "mayor",
        "inspector",
        "commander",
        "minister",
        "senator",
        "sheriff",
        "judge",
        "director",
        "secretary",
        "governor",
        "chief",
        "captain",
        "sergeant",
        "officer",
        "president",
        "councillor",
        "lic",
        "licenciado",
        "licenciada",
        "general",
        "alcalde",
        "alcaldesa",
        "secretario",
        "secretaria",
        "gobernador",
        "gobernadora",
        "presidente",
        "presidenta",
        "doctor",
        "doctora",
        "comisionado",
        "comisionada",
        "fiscal",
    }
)
_PREFIX = {
    Label.Actor: "actor",
    Label.Person: "person",
    Label.Policy: "policy",
    Label.Programme: "programme",
    Label.Theme: "theme",
    Label.Location: "location",
}
# Policies and programmes are often named either way ("the X Programme", "the X Plan").
_FAMILY = {
    Label.Policy: frozenset({Label.Policy, Label.Programme}),
    Label.Programme: frozenset({Label.Policy, Label.Programme}),
}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    text = _strip_accents(name).replace("’", "'").strip()
    text = re.sub(r"'s\b|'", "", text)
    text = re.sub(r"[^\w&/\- ]+", " ", text).lower()
    text = re.sub(r"\s+", " ", text).strip()
    while True:
        stripped = _ARTICLES.sub("", text)
        if stripped == text:
            break
        text = stripped
    words = text.split()
    if words:
        words[-1] = _singular(words[-1])
    return " ".join(words)


def _singular(word: str) -> str:
    """A lowercase word without its plural "s" ("councils", not "address")."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise(name)).strip("-") or "x"


def entity_id(label: Label, name: str) -> str:
    return f"{_PREFIX[label]}:{slug(name)}"


@lru_cache(maxsize=65536)
def content_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.split(r"[\s\-/]+", normalise(name)) if w and w not in _STOP)


def display_name(names: Iterable[str]) -> str:
    """The name to show for an entity known by ``names``: the fullest form, not an acronym,
    and not one instance of the body's general name ("X for Central District" when the
    corpus also calls it X)."""
    names = list(names)
    general = [n for n in names if not any(_qualified(n, o) for o in names)] or names
    return max(general, key=lambda n: (not _is_acronym(n), len(content_words(n)), len(n), n))


_QUALIFIERS = frozenset({"for", "of", "in", "at", "de", "del", "en", "para"})


def _qualified(name: str, general: str) -> bool:
    """ "District Security Committee for Central District" qualifies "District Security
    Committee": the general name (two words or more) then for/of/in and a qualifier."""
    if len(content_words(general)) < 2 or _is_acronym(general):
        return False
    n, g = normalise(name).split(), normalise(general).split()
    return len(n) > len(g) + 1 and n[: len(g)] == g and n[len(g)] in _QUALIFIERS


def _is_acronym(name: str) -> bool:
    core = name.rstrip("s") if name.endswith("s") and name[:-1].isupper() else name
    return bool(re.fullmatch(r"[A-Z][A-Za-z&\-]*", core)) and sum(c.isupper() for c in core) >= 2


class MergeRecord(BaseModel):
    """One surface name resolved onto an existing entity."""

    model_config = ConfigDict(frozen=True)

    id: str  # "merge:<n>"
    alias: str
    entity_id: str
    rule: str  # exact | acronym | translation | short_form | surname | fuzzy
    score: float
    document_id: str | None = None
    undone: bool = False


class MergeLedger(BaseModel):
    """Every merge the resolver made; ``undo`` splits an alias back out."""

    model_config = ConfigDict(frozen=True)

    records: tuple[MergeRecord, ...] = ()

    def get(self, merge_id: str) -> MergeRecord:
        for rec in self.records:
            if rec.id == merge_id:
                return rec
        raise KeyError(merge_id)

    def for_entity(self, entity_id: str) -> tuple[MergeRecord, ...]:
        return tuple(r for r in self.records if r.entity_id == entity_id and not r.undone)

    def undo(self, merge_id: str) -> MergeLedger:
        self.get(merge_id)
        return MergeLedger(
            records=tuple(
                r.model_copy(update={"undone": True}) if r.id == merge_id else r
                for r in self.records
            )
        )


@dataclass
class _Entry:
    id: str
    label: Label
    name: str
    aliases: set[str] = field(default_factory=set)
    properties: dict[str, object] = field(default_factory=dict)


class Resolver:
    """Mutable resolution state for one extraction run (not shared across threads)."""

    def __init__(
        self,
        known: Sequence[EntityNode] = (),
        *,
        splits: Iterable[tuple[str, str]] = (),
        fuzzy_threshold: float = 92.0,
    ):
        """``splits``: (normalised alias, entity id) pairs whose merge an analyst undid; the
        alias never resolves onto that entity again, by any rule."""
        self.fuzzy_threshold = fuzzy_threshold
        self.entries: dict[str, _Entry] = {}
        self._index: dict[tuple[Label, str], str] = {}  # (label, normalised alias) -> id
        self.acronyms: dict[str, str] = {}  # acronym -> long form
        # acronym -> every long form this run defined for it ("Secretaría de Seguridad
        # Ciudadana Municipal (SSCM)" in one document, "Municipal Citizen Security
        # Secretariat (SSCM)" in another): one body named in two languages or wordings
        self._long_forms: dict[str, set[str]] = {}
        # normalised name -> normalised names of the same body in other languages (gazetteer)
        self._same_body: dict[str, frozenset[str]] = {}
        self._records: list[MergeRecord] = []
        self._split: set[tuple[str, str]] = set(splits)  # (normalised alias, entity id) undone
        for node in known:
            names = {node.name, *node.aliases}
            kept = {a for a in names if (normalise(a), node.id) not in self._split} or {node.name}
            name = node.name if node.name in kept else display_name(kept)
            entry = _Entry(node.id, node.label, name, kept)
            entry.properties = dict(node.properties)
            self.entries[node.id] = entry
            for alias in entry.aliases:
                self._index.setdefault((node.label, normalise(alias)), node.id)
                if _is_acronym(alias):
                    self.acronyms.setdefault(alias, node.name)

    # -- public ------------------------------------------------------------------------
    @property
    def ledger(self) -> MergeLedger:
        return MergeLedger(records=tuple(self._records))

    def learn_acronym(self, acronym: str, long_form: str) -> None:
        self.acronyms.setdefault(acronym, long_form)
        self._long_forms.setdefault(acronym, set()).add(normalise(long_form))

    def learn_translation(self, name: str, other: str) -> None:
        """``name`` and ``other`` name one body in two languages (gazetteer ``same_as``)."""
        group = self._same_body.get(normalise(name), frozenset({normalise(name)}))
        group |= self._same_body.get(normalise(other), frozenset({normalise(other)}))
        for key in group:
            self._same_body[key] = group

    def resolve(self, surface: str, label: Label, *, document_id: str | None = None) -> str:
        """The entity id for ``surface``, creating the entity when nothing matches."""
        key = normalise(surface)
        hit = self._index.get((label, key))
        if hit is not None and self._allowed(surface, hit):
            self._add_alias(hit, surface, "exact", 100.0, document_id)
            return hit
        found = self._match(surface, label)
        if found is None:
            # A long form whose acronym already has an entity ("XYZ" seen first), or
            # another long form defined with the same acronym: the acronym's entity.
            for acr, long_form in self.acronyms.items():
                if normalise(long_form) != key and key not in self._long_forms.get(acr, ()):
                    continue
                hit = self._index.get((label, normalise(acr))) or self._index.get(
                    (label, normalise(long_form))
                )
                if hit is not None and self._allowed(surface, hit):
                    found = (hit, "acronym", 100.0)
                    break
        if found is not None:
            eid, rule, score = found
            self._add_alias(eid, surface, rule, score, document_id)
            return eid
        return self._create(surface, label)

    def label_of(self, name: str) -> Label | None:
        """The label of the entity a name already resolves to exactly, if any."""
        key = normalise(name)
        for (label, alias), _ in self._index.items():
            if alias == key:
                return label
        return None

    def entity(self, eid: str) -> _Entry:
        return self.entries[eid]

    def undo(self, merge_id: str) -> str:
        """Split a merged alias into its own entity; returns the new entity's id."""
        rec = MergeLedger(records=tuple(self._records)).get(merge_id)
        entry = self.entries[rec.entity_id]
        norm = normalise(rec.alias)
        entry.aliases = {a for a in entry.aliases if normalise(a) != norm}
        self._records = [
            r.model_copy(update={"undone": True}) if r.id == merge_id else r for r in self._records
        ]
        self._split.add((norm, rec.entity_id))
        self._index.pop((entry.label, norm), None)
        return self._create(rec.alias, entry.label)

    def nodes(self, ids: Iterable[str] | None = None) -> list[EntityNode]:
        chosen = self.entries.values() if ids is None else [self.entries[i] for i in ids]
        return [
            EntityNode(
                label=e.label,
                id=e.id,
                name=e.name,
                aliases=tuple(sorted(a for a in e.aliases if a != e.name)),
                properties=dict(e.properties),
            )
            for e in chosen
        ]

    # -- rules -------------------------------------------------------------------------
    def _candidates(self, label: Label) -> list[_Entry]:
        family = _FAMILY.get(label, frozenset({label}))
        return [e for e in self.entries.values() if e.label in family]

    def _allowed(self, surface: str, eid: str) -> bool:
        return (normalise(surface), eid) not in self._split

    def _match(self, surface: str, label: Label) -> tuple[str, str, float] | None:
        key = normalise(surface)
        family = _FAMILY.get(label, frozenset({label}))
        for other in family:
            hit = self._index.get((other, key))
            if hit is not None and self._allowed(surface, hit):
                return hit, "exact", 100.0
        for same in sorted(self._same_body.get(key, frozenset()) - {key}):
            for other in family:
                hit = self._index.get((other, same))
                if hit is not None and self._allowed(surface, hit):
                    return hit, "translation", 100.0
        if _is_acronym(surface):
            acr = surface if surface in self.acronyms else surface[:-1]
            long_form = self.acronyms.get(acr)
            if long_form is not None:
                for other in family:
                    hit = self._index.get((other, normalise(long_form)))
                    if hit is not None and self._allowed(surface, hit):
                        return hit, "acronym", 100.0
                # Acronym seen before its long form in this run: the long form is canonical.
                found = self._match(long_form, label)
                hit = found[0] if found else self._create(long_form, label)
                if self._allowed(surface, hit):
                    return hit, "acronym", 100.0
            return None  # acronyms are never fuzzy-matched: "DSC" vs "DSD"
        candidates = [e for e in self._candidates(label) if self._allowed(surface, e.id)]
        if label is Label.Person:
            return self._surname(surface, candidates)
        short = self._short_form(surface, candidates)
        if short is not None:
            return short
        choices = {e.id: normalise(e.name) for e in candidates}
        if choices:
            best = process.extractOne(key, choices, scorer=fuzz.ratio)
            if (
                best is not None
                and best[1] >= self.fuzzy_threshold
                and _words_align(key, str(best[0]))
            ):
                return str(best[2]), "fuzzy", float(best[1])
        return None

    def _short_form(self, surface: str, candidates: list[_Entry]) -> tuple[str, str, float] | None:
        """Subset with the same head, leading part, (reverse) a fuller form of one name, or
        the name without its institutional head ("Asuntos Internos" for "Unidad de Asuntos
        Internos", "Salud Municipal" for "Dirección Municipal de Salud"). Words compare by
        sense (nlp/short_forms.py): "Anti-Fraud" is "against Fraud", and a jurisdiction
        only one side names ("State", "del Estado") is not held against the other."""
        words = content_words(surface)
        if len(words) < 2:
            return None
        keys = _sense_keys(surface)
        head = name_head(surface)
        matches: set[str] = set()
        for entry in candidates:
            for alias in [entry.name, *entry.aliases]:
                if _is_acronym(alias):
                    continue
                other = content_words(alias)
                if len(other) < 2 or other == words:
                    continue
                if len(words) > len(other) and alias != entry.name:
                    # A fuller form may absorb an entity's own short name, never one of its
                    # short aliases: that would chain "Fiscalía General" onto every Fiscalía.
                    continue
                if _without_head(alias, other) == set(keys):
                    matches.add(entry.id)
                    break
                same_head = head is not None and head == name_head(alias)
                other_keys = _sense_keys(alias)
                shorter, longer = (
                    (keys, other_keys) if len(keys) < len(other_keys) else (other_keys, keys)
                )
                if set(shorter) <= set(longer) and (same_head or longer[: len(shorter)] == shorter):
                    matches.add(entry.id)
                    break
                relaxed = without_implicit_jurisdiction(set(keys), set(other_keys))
                if same_head and relaxed is not None:
                    small, large = sorted(relaxed, key=len)
                    if len(small) >= 2 and small <= large:
                        matches.add(entry.id)
                        break
        if len(matches) == 1:
            return matches.pop(), "short_form", 90.0
        return None

    def _surname(self, surface: str, candidates: list[_Entry]) -> tuple[str, str, float] | None:
        words = [w for w in content_words(surface) if w.rstrip(".") not in _TITLES]
        if not words:
            return None
        family = words[-1]
        matches = {
            e.id
            for e in candidates
            for alias in [e.name, *e.aliases]
            if [w for w in content_words(alias) if w.rstrip(".") not in _TITLES][-1:] == [family]
        }
        if len(matches) == 1:
            return matches.pop(), "surname", 85.0
        return None

    # -- bookkeeping -------------------------------------------------------------------
    def _create(self, surface: str, label: Label) -> str:
        name = surface.strip()
        eid = entity_id(label, name)
        n = 2
        while eid in self.entries and self.entries[eid].label is not label:
            eid = f"{entity_id(label, name)}-{n}"
            n += 1
        if eid in self.entries:  # a split alias whose slug exists: keep ids unique
            eid = f"{eid}-split"
        self.entries[eid] = _Entry(eid, label, name, {name})
        self._index[(label, normalise(name))] = eid
        return eid

    def _add_alias(
        self, eid: str, surface: str, rule: str, score: float, document_id: str | None
    ) -> None:
        entry = self.entries[eid]
        name = surface.strip()
        if name in entry.aliases:
            return
        entry.aliases.add(name)
        self._index.setdefault((entry.label, normalise(name)), eid)
        if rule != "exact" or normalise(name) != normalise(entry.name):
            self._records.append(
                MergeRecord(
                    id=f"merge:{len(self._records) + 1}",
                    alias=name,
                    entity_id=eid,
                    rule=rule,
                    score=score,
                    document_id=document_id,
                )
            )
        # Prefer the fullest form as the display name, and a title-case form over a
        # shouted heading ("MINISTRY OF X"); the id never changes.
        if _qualified(entry.name, name):
            entry.name = name  # the general name over one instance of it
        elif (
            not _is_acronym(name)
            and not any(_qualified(name, a) for a in entry.aliases)
            and (
                len(content_words(name)) > len(content_words(entry.name))
                or (
                    entry.name.isupper()
                    and not name.isupper()
                    and content_words(name) == content_words(entry.name)
                )
            )
        ):
            entry.name = name


_HEAD_FIRST = re.compile(
    r"^\W*(?:the\s+)?(ministry|department|office|secretariat|commission|council|committee|"
    r"agency|authority|board|bureau|directorate|court|university|institute|secretar[ií]a|"
    r"ministerio|comisi[oó]n|consejo|gobierno|fiscal[ií]a|direcci[oó]n|instituto|guardia|"
    r"polic[ií]a|procuradur[ií]a|oficina|sistema|centro|universidad|unidad|agencia|junta|"
    r"subsecretar[ií]a|subdirecci[oó]n|coordinaci[oó]n|delegaci[oó]n|tribunal)\b",
    re.IGNORECASE,
)


def _sense_keys(name: str) -> tuple[str, ...]:
    """A name's comparison keys: its words in order without stop words, each without a
    plural ending, "anti-"/"against"/"contra" read as one key (nlp/short_forms.py)."""
    words = [_singular(w) for w in re.split(r"[\s\-/]+", normalise(name)) if w]
    return sense_keys(words, _STOP)


def _without_head(name: str, words: tuple[str, ...]) -> set[str] | None:
    """A head-first name's words without its head ("Unidad de Asuntos Internos" -> {asuntos,
    internos}), when at least two remain: what a text calls the body once it is known."""
    if len(words) < 3 or not _head_first(name):
        return None
    return set(_sense_keys(name)[1:])


def _words_align(a: str, b: str) -> bool:
    """Every word has a near twin on the other side: "Harbor"~"Harbour", not "North"~"South"."""
    wa, wb = a.split(), b.split()
    return all(max((fuzz.ratio(x, y) for y in wb), default=0) >= 80 for x in wa) and all(
        max((fuzz.ratio(y, x) for x in wa), default=0) >= 80 for y in wb
    )


def _head_first(name: str) -> bool:
    return bool(_HEAD_FIRST.match(name))


_CONNECTOR = re.compile(r"\s(?:of|for|on|against|at|de|del|para|contra|sobre)\s", re.IGNORECASE)


@lru_cache(maxsize=65536)
def name_head(name: str) -> str | None:
    """The institutional head word: first word if head-first, else last word before "of"."""
    words = content_words(_CONNECTOR.split(name, maxsplit=1)[0])
    if not words:
        return None
    return words[0] if _head_first(name) else words[-1]
