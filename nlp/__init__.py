"""The extraction layer: Passages -> actors, policies, themes and relations with evidence.

Public API::

    load_pipeline(language="en", settings=None) -> spacy.Language   (cached per process)
    extract_document(document, *, known=()) -> GraphBatch
    extract_documents(documents, *, known=()) -> ExtractionRun       (ids agree across docs)

nlp does no I/O beyond its own data files (``nlp/data``) and the spaCy model.
"""

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
