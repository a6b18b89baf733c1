"""The extraction layer: Passages -> actors, policies, themes and relations with evidence.

Public API::

    load_pipeline(language="en", settings=None) -> spacy.Language   (cached per process)
    extract_document(document, *, known=()) -> GraphBatch
    extract_documents(documents, *, known=()) -> ExtractionRun       (ids agree across docs)

nlp does no I/O beyond its own data files (``nlp/data``) and the spaCy model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.extract import ExtractionRun, extract_document, extract_documents
    from nlp.pipeline import load_pipeline
    from nlp.resolution import MergeLedger, MergeRecord, Resolver

__all__ = [
    "ExtractionRun",
    "MergeLedger",
    "MergeRecord",
    "Resolver",
    "extract_document",
    "extract_documents",
    "load_pipeline",
]

# Imported on first use (PEP 562): ``import nlp`` or ``nlp.resolution`` must not pull in spaCy,
# which costs seconds; the API, the CLI and the merge code import this package at start-up and
# most of their commands never extract anything.
_HOMES = {
    "ExtractionRun": "nlp.extract",
    "extract_document": "nlp.extract",
    "extract_documents": "nlp.extract",
    "load_pipeline": "nlp.pipeline",
    "MergeLedger": "nlp.resolution",
    "MergeRecord": "nlp.resolution",
    "Resolver": "nlp.resolution",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
