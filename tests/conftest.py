"""The one global conftest: shared fixtures for every test module.

Corpus-based tests use ``corpus_dir``, which skips when ../shared/corpus is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    if not CORPUS_DIR.is_dir():
        pytest.skip(f"development corpus not found at {CORPUS_DIR}")
    return CORPUS_DIR
