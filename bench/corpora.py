"""The gold corpora, read from the system inputs, in one shape for every evaluation script.

    from bench.corpora import CORPORA, load_corpus
    corpus = load_corpus("scenario-ke")      # gold (scenario format) + Documents from inputs/

Corpora (``CORPORA``):

- ``scenario-dev``, ``scenario-es``, ``scenario-ke``: fictional assessments in
  ../shared/corpus; where a corpus has ``inputs`` (PDF, DOCX, HTML, VTT) those are read,
  not the ``docs/*.md`` sources the gold quotes were written against.
- ``examples``: the assessment bundled in this repo (examples/, Markdown and text inputs).
- ``real_documents``: hand gold for seven real files of ../shared/corpus
  (gold/real_documents/gold.json). Its per-document format is normalised here into the
  scenario format: actors merged across documents by name, ``optional_actors`` kept apart
  (credited if found, never penalised), relations given by names mapped to actor ids, and a
  PDF read only on its annotated ``pages``.

Reading is cached per process: the evaluation and training scripts read each corpus once.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from ingest import read_document  # noqa: E402
from ingest.model import Document  # noqa: E402

__all__ = [
    "CORPORA",
    "CORPUS_ROOT",
    "SCENARIOS",
    "Corpus",
    "load_corpus",
    "norm_name",
    "read_gold_file",
    "read_scenario_dir",
]

CORPUS_ROOT = REPO.parent / "shared" / "corpus"
SCENARIOS = ("scenario-dev", "scenario-es", "scenario-ke", "examples")
CORPORA = (*SCENARIOS, "real_documents")


@dataclass(frozen=True)
class Corpus:
    """One gold corpus: its gold in the scenario format and its documents as govgraph reads them."""

    name: str
    language: str
    gold: dict[str, Any]
    documents: tuple[Document, ...]
    # Names a system may find without being wrong (real_documents' optional_actors).
    optional_names: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_scenario(self) -> bool:
        return self.name in SCENARIOS


def norm_name(name: str) -> str:
    """The matching key of a name: no leading article, possessive or plural 's', case folded
    unless it is an acronym. The same rule as bench/eval_extraction.py has always used."""
    name = name.replace("’", "'").strip()
    name = re.sub(r"^(the|a|an|el|la|los|las)\s+", "", name, flags=re.IGNORECASE)
    name = re.sub(r"'s\b|'", "", name)
    name = re.sub(r"[.,;:]+$", "", name)
    name = re.sub(r"\s+", " ", name)
    if not name.isupper():
        name = name.lower()
    return re.sub(r"(?<=\w{3})s$", "", name)


def _corpus_dir(name: str) -> Path:
    return REPO / "examples" if name == "examples" else CORPUS_ROOT / name


def read_scenario_dir(root: Path, name: str | None = None) -> Corpus:
    """A corpus in the scenario gold format from any folder (its gold.json)."""
    return read_gold_file(root / "gold.json", root, name=name or root.name)


def read_gold_file(path: Path, docs_root: Path | None = None, *, name: str | None = None) -> Corpus:
    """A corpus from one gold file in the scenario format, such as ``govgraph decisions export
    --format gold`` writes: its ``files`` are read from ``docs_root`` (default: the file's
    folder; absolute paths, as an export of absolutely ingested files holds, stay as they are)."""
    root = docs_root or path.parent
    name = name or path.stem
    gold = json.loads(path.read_text(encoding="utf-8"))
    files = gold.get("inputs") or gold["files"]
    if isinstance(files, dict):  # {"documents": [...], "transcripts": [...]}
        files = [*files.get("documents", []), *files.get("transcripts", [])]
    docs = tuple(read_document(root / f) for f in files)
    language = str(gold.get("language") or ("es" if name.endswith("-es") else "en"))
    return Corpus(name=name, language=language[:2], gold=gold, documents=docs)


def _page_set(spec: str | None) -> set[int] | None:
    if not spec:
        return None
    pages: set[int] = set()
    for part in str(spec).split(","):
        lo, _, hi = part.strip().partition("-")
        pages.update(range(int(lo), int(hi or lo) + 1))
    return pages


def _only_pages(doc: Document, pages: set[int] | None) -> Document:
    if pages is None:
        return doc
    kept = tuple(p for p in doc.passages if p.page is None or p.page in pages)
    return doc.model_copy(update={"passages": kept})


def _read_real_documents() -> Corpus:
    raw = json.loads((CORPUS_ROOT / "gold" / "real_documents" / "gold.json").read_text("utf-8"))
    actors: list[dict[str, Any]] = []
    by_key: dict[str, dict[str, Any]] = {}
    optional: set[str] = set()
    policies: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    docs: list[Document] = []

    def actor_for(names: list[str]) -> dict[str, Any] | None:
        for n in names:
            hit = by_key.get(norm_name(n))
            if hit is not None:
                return hit
        return None

    for path, entry in raw["documents"].items():
        docs.append(_only_pages(read_document(CORPUS_ROOT / path), _page_set(entry.get("pages"))))
        for a in entry.get("actors", []):
            names = [a["name"], *a.get("aliases", [])]
            known = actor_for(names)
            if known is None:
                known = {
                    "id": f"a{len(actors) + 1:03d}",
                    "canonical_name": a["name"],
                    "aliases": [],
                    "type": a["type"],
                    "level": a["level"],
                    "mentioned_in": [],
                }
                actors.append(known)
            for n in names:
                if n not in known["aliases"] and n != known["canonical_name"]:
                    known["aliases"].append(n)
                by_key.setdefault(norm_name(n), known)
            known["mentioned_in"].append(path)
        for o in entry.get("optional_actors", []):
            optional.add(norm_name(o if isinstance(o, str) else o.get("name", "")))
        for i, pp in enumerate(entry.get("policies_programmes", [])):
            item = pp if isinstance(pp, dict) else {"name": pp}
            policies.append(
                {
                    "id": f"p-{len(docs)}-{i}",
                    "canonical_name": item.get("name") or item.get("canonical_name"),
                    "aliases": item.get("aliases", []),
                }
            )
        for person in entry.get("persons", []):
            # people are scored through "affiliation" in the scenario format; the gold may
            # list several bodies ("New York State Senate; Task Force ..."): the first known
            affs = [a.strip() for a in str(person.get("affiliation") or "").split(";")]
            aff = next((hit for a in affs if a and (hit := actor_for([a]))), None)
            actors.append(
                {
                    "id": f"person-{len(actors) + 1:03d}",
                    "canonical_name": person["name"],
                    "aliases": [],
                    "type": "person",
                    "level": aff["level"] if aff else None,
                    "affiliation": aff["id"] if aff else None,
                }
            )
        for r in entry.get("relations", []):
            src, tgt = actor_for([r["source"]]), actor_for([r["target"]])
            if src is None or tgt is None:
                continue  # a tie to a body the gold names only as optional is not scored
            relations.append(
                {
                    "source": src["id"],
                    "target": tgt["id"],
                    "type": r["type"],
                    "evidence_file": path,
                    "evidence_quote": r.get("quote", ""),
                }
            )
    optional -= set(by_key)
    gold = {
        "actors": actors,
        "policies_programmes": policies,
        "relations": relations,
        "gaps": [],
        "non_gaps": [],
    }
    return Corpus(
        name="real_documents",
        language="mixed",
        gold=gold,
        documents=tuple(docs),
        optional_names=frozenset(optional),
    )


@functools.cache
def load_corpus(name: str) -> Corpus:
    """Gold and documents of one corpus; raises FileNotFoundError when it is not on disk."""
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    if not _corpus_dir(name if name != "real_documents" else "gold").exists():
        raise FileNotFoundError(f"corpus {name} not found under {CORPUS_ROOT}")
    if name == "real_documents":
        return _read_real_documents()
    return read_scenario_dir(_corpus_dir(name), name)
