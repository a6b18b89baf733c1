"""Document(s) -> GraphBatch(es): the public entry points of extraction.

The work is done in ``nlp.extraction`` (one module per pass or relation source); this module
keeps the names callers import (``nlp.extract_documents`` resolves here).
"""

from __future__ import annotations

from nlp.extraction.run import ExtractionRun, extract_document, extract_documents

__all__ = ["ExtractionRun", "extract_document", "extract_documents"]
