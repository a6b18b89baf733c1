"""Assembles and caches the govgraph spaCy pipelines (one per language and settings)."""

from __future__ import annotations

import threading

from spacy.language import Language

import nlp.components  # noqa: F401  (registers the factories)
from govgraph.settings import Settings
from nlp.model_loading import load_base_model

__all__ = ["COMPONENTS", "clear_pipeline_cache", "load_pipeline"]

COMPONENTS = (
    "govgraph_actor_ruler",
    "govgraph_actor_classifier",
    "govgraph_themes",
    "govgraph_relation_cues",
)

_cache: dict[tuple[str, str | None, str | None], Language] = {}
_lock = threading.Lock()


def _lang(language: str) -> str:
    return "es" if language.lower().startswith("es") else "en"


def load_pipeline(language: str = "en", settings: Settings | None = None) -> Language:
    """The extraction pipeline for ``language`` ("en" or "es"; others get English).

    Loaded once per process and settings; raises ``ModelNotAvailable`` when no usable
    English model is installed. ``nlp.meta["govgraph"]`` says which model backs it.
    """
    settings = settings or Settings()
    lang = _lang(language)
    key = (lang, settings.spacy_model, settings.spacy_model_es)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        loaded = load_base_model(lang, settings)
        nlp = loaded.nlp
        if (
            "ner" not in nlp.pipe_names
            and "sentencizer" not in nlp.pipe_names
            and ("parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names)
        ):
            nlp.add_pipe("sentencizer")
        # list items are sentences: set before the parser (or sentencizer) decides
        first = next((p for p in ("parser", "senter", "sentencizer") if p in nlp.pipe_names), None)
        if first is not None:
            nlp.add_pipe("govgraph_list_items", before=first)
        else:
            nlp.add_pipe("govgraph_list_items")
        for factory in COMPONENTS:
            config = {} if factory == "govgraph_actor_classifier" else {"language": lang}
            component = nlp.add_pipe(factory, config=config)
            # Our components load their data in initialize(), as spaCy's own rulers do.
            component.initialize(nlp=nlp)  # type: ignore[attr-defined]
        nlp.meta["govgraph"] = {
            "language": lang,
            "model": loaded.name,
            "statistical": loaded.statistical,
            "notes": list(loaded.notes),
        }
        _cache[key] = nlp
        return nlp


def clear_pipeline_cache() -> None:
    with _lock:
        _cache.clear()
